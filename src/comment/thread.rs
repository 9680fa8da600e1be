//! Writing to a discussion: the same three REST calls on GitHub and GitLab, which differ only in
//! their URLs, the method that updates, and what a comment is called.

use super::decide::Step;
use super::http::Api;
use serde::Deserialize;
use serde_json::json;
use ureq::http::Method;

/// One pull request's or merge request's comments, at a REST collection.
pub struct Thread {
    pub api: Api,
    /// Where comments are listed and created.
    pub collection: String,
    /// One comment is `{item_base}/{id}`.
    pub item_base: String,
    /// `PATCH` (GitHub) or `PUT` (GitLab).
    pub update_method: Method,
    /// What the platform calls a comment: `comment`, `note`.
    pub noun: &'static str,
    /// The hint for an answer that says the discussion is not there.
    pub wrong: &'static str,
}

#[derive(Deserialize)]
struct Created {
    id: u64,
}

impl Thread {
    fn item(&self, id: u64) -> String {
        format!("{}/{id}", self.item_base)
    }

    /// Posts `body`; the new comment's id.
    pub fn create(&self, body: &str) -> anyhow::Result<u64> {
        let body = json!({ "body": body });
        let reply = self
            .api
            .call(Method::POST, &self.collection, Some(&body), self.wrong)?;
        Ok(reply.json::<Created>()?.id)
    }

    pub fn update(&self, id: u64, body: &str) -> anyhow::Result<()> {
        let hint = format!(
            "{} {id} was deleted meanwhile, or {}",
            self.noun, self.wrong
        );
        let body = json!({ "body": body });
        self.api.call(
            self.update_method.clone(),
            &self.item(id),
            Some(&body),
            &hint,
        )?;
        Ok(())
    }

    /// Deletes comment `id`. One already gone counts as deleted, so two runs racing to delete
    /// the same duplicate both succeed.
    pub fn delete(&self, id: u64) -> anyhow::Result<()> {
        match self
            .api
            .call(Method::DELETE, &self.item(id), None, self.wrong)
        {
            Err(e) if e.status() != Some(404) => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// The method and URL `step` is sent to, for a dry run.
    pub fn request(&self, step: Step) -> (Method, String) {
        match step {
            Step::Create => (Method::POST, self.collection.clone()),
            Step::Update(id) => (self.update_method.clone(), self.item(id)),
            Step::Delete(id) => (Method::DELETE, self.item(id)),
        }
    }
}
