//! Reads the line format described in the parent module into the catalog's flat tables.
//! Hand-written rather than serde: one pass over ~0.9 MB, borrowing every name from the text.

use super::{cmp_ignore_case, AccessLevel, Catalog, Entry, ResourceTypeRef, Service, TypeEntry};
use std::cmp::Ordering;

impl Catalog {
    /// Parses catalog text. Errors name the line; they mean the data is corrupt, which the
    /// tests rule out for the embedded copy. Checks the sort order lookups rely on.
    pub(super) fn parse(text: &'static str) -> Result<Catalog, String> {
        let mut c = Catalog {
            services: Vec::with_capacity(512),
            actions: Vec::with_capacity(24_000),
            refs: Vec::with_capacity(40_000),
            types: Vec::with_capacity(2_500),
            arns: Vec::with_capacity(2_500),
            matched: Default::default(),
            formats: std::sync::OnceLock::new(),
            formats_of: std::sync::OnceLock::new(),
            formats_in: std::sync::OnceLock::new(),
            ranks: std::sync::OnceLock::new(),
            format_services: std::sync::OnceLock::new(),
            format_uses: std::sync::OnceLock::new(),
        };
        for (n, line) in text.lines().enumerate() {
            c.line(line)
                .map_err(|e| format!("line {}: {e}: {line:?}", n + 1))?;
        }
        Ok(c)
    }

    fn line(&mut self, line: &'static str) -> Result<(), &'static str> {
        let (kind, rest) = line.split_once('\t').ok_or("no tab")?;
        if kind == "S" {
            return self.start_service(rest);
        }
        let index = self
            .services
            .len()
            .checked_sub(1)
            .ok_or("before any service")? as u32;
        let service = &mut self.services[index as usize];
        match kind {
            "R" => {
                if service.actions.1 > service.actions.0 {
                    return Err("resource type after the service's actions");
                }
                let mut fields = rest.split('\t');
                let name = fields.next().filter(|n| !n.is_empty()).ok_or("no name")?;
                let first = self.arns.len() as u32;
                self.arns.extend(fields);
                if let Some(before) = self.types[service.types.0 as usize..].last() {
                    in_order(before.name, name)?;
                }
                self.types.push(TypeEntry {
                    name,
                    arns: (first, self.arns.len() as u32),
                });
                service.types.1 = self.types.len() as u32;
            }
            "A" => {
                let mut fields = rest.split('\t');
                let name = fields.next().filter(|n| !n.is_empty()).ok_or("no name")?;
                let level = fields
                    .next()
                    .and_then(AccessLevel::from_code)
                    .ok_or("bad access level")?;
                let refs = fields.next().ok_or("no resource types field")?;
                if let Some(before) = self.actions[service.actions.0 as usize..].last() {
                    in_order(before.name, name)?;
                }
                let types = &self.types[service.types.0 as usize..service.types.1 as usize];
                let first = self.refs.len() as u32;
                for r in refs.split(',').filter(|r| !r.is_empty()) {
                    let (at, required) = match r.strip_suffix('!') {
                        Some(at) => (at, true),
                        None => (r, false),
                    };
                    let at: usize = at.parse().map_err(|_| "bad resource type position")?;
                    let name = types.get(at).ok_or("no such resource type")?.name;
                    self.refs.push(ResourceTypeRef { name, required });
                }
                self.actions.push(Entry {
                    service: index,
                    name,
                    level,
                    refs: (first, self.refs.len() as u32),
                });
                service.actions.1 = self.actions.len() as u32;
            }
            _ => return Err("unknown kind of line"),
        }
        Ok(())
    }

    fn start_service(&mut self, prefix: &'static str) -> Result<(), &'static str> {
        if prefix.is_empty() || prefix.contains([':', '\t']) || prefix != prefix.to_lowercase() {
            return Err("bad service prefix");
        }
        if let Some(before) = self.services.last() {
            in_order(before.prefix, prefix)?;
        }
        let (actions, types) = (self.actions.len() as u32, self.types.len() as u32);
        self.services.push(Service {
            prefix,
            actions: (actions, actions),
            types: (types, types),
        });
        Ok(())
    }
}

fn in_order(before: &str, name: &str) -> Result<(), &'static str> {
    match cmp_ignore_case(before, name) {
        Ordering::Less => Ok(()),
        _ => Err("out of order or duplicate (ignoring case)"),
    }
}
