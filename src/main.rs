fn main() -> std::process::ExitCode {
    privdiff::cli::main()
}
