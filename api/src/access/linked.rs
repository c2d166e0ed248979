//! The policy set a decision with grant links evaluates: the instance's set with the links
//! added. Copying the set for each decision cost more than a second evaluation, and a second
//! evaluation (the links beside the set) about a sixth of a decision. So each instance keeps a
//! few copies; a decision takes one, links its grants, evaluates once, and unlinks them before
//! the copy goes back. A copy whose unlinking failed is dropped, never reused.

use std::collections::HashMap;
use std::sync::Mutex;

use cedar_policy::{EntityUid, PolicyId, PolicySet, SlotId};

use super::facts::Link;
use crate::authz::{Names, GRANT_TEMPLATE};

/// More copies than decisions of one instance run at once on a node are not kept.
const KEPT: usize = 16;

pub struct LinkedSets {
    /// The set every copy starts as: the base and the instance's policies, the template
    /// unlinked.
    base: PolicySet,
    spare: Mutex<Vec<PolicySet>>,
}

impl LinkedSets {
    pub fn new(base: PolicySet) -> LinkedSets {
        LinkedSets {
            base,
            spare: Mutex::new(Vec::new()),
        }
    }

    /// A copy of the set with `links` linked to the application `resource`.
    pub fn with(
        &self,
        names: &Names,
        links: &[Link],
        resource: &EntityUid,
    ) -> Result<Linked<'_>, String> {
        let set = self
            .spare
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_else(|| self.base.clone());
        let mut linked = Linked {
            owner: self,
            set,
            ids: Vec::with_capacity(links.len()),
        };
        let template = PolicyId::new(GRANT_TEMPLATE);
        for link in links {
            let id = PolicyId::new(&link.policy_id);
            let slots = HashMap::from([
                (SlotId::principal(), link.subject.uid(names)),
                (SlotId::resource(), resource.clone()),
            ]);
            linked
                .set
                .link(template.clone(), id.clone(), slots)
                .map_err(|err| format!("linking {}: {err}", link.policy_id))?;
            linked.ids.push(id);
        }
        Ok(linked)
    }
}

/// A copy with links, given back (unlinked) when dropped.
pub struct Linked<'a> {
    owner: &'a LinkedSets,
    set: PolicySet,
    ids: Vec<PolicyId>,
}

impl Linked<'_> {
    pub fn set(&self) -> &PolicySet {
        &self.set
    }
}

impl Drop for Linked<'_> {
    fn drop(&mut self) {
        let mut set = std::mem::replace(&mut self.set, PolicySet::new());
        if self.ids.drain(..).all(|id| set.unlink(id).is_ok()) {
            if let Ok(mut spare) = self.owner.spare.lock() {
                if spare.len() < KEPT {
                    spare.push(set);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::facts::LinkSubject;
    use crate::authz::{uid, Kind, PolicyEngine};

    fn names() -> &'static Names {
        Names::get().expect("names")
    }

    fn link(n: usize) -> Link {
        Link {
            policy_id: format!("grant:{n}"),
            subject: LinkSubject::Group(format!("g{n}")),
        }
    }

    #[test]
    fn a_copy_comes_back_without_its_links() {
        let engine = PolicyEngine::embedded().expect("policies");
        let sets = LinkedSets::new(engine.access_policies().clone());
        let app = uid(Kind::Application, "a1");
        let static_count = sets.base.policies().count();
        {
            let linked = sets
                .with(names(), &[link(1), link(2)], &app)
                .expect("linked");
            assert_eq!(linked.set().policies().count(), static_count + 2);
        }
        assert_eq!(
            sets.spare.lock().expect("pool").len(),
            1,
            "the copy came back"
        );
        let linked = sets.with(names(), &[link(3)], &app).expect("linked");
        let ids: Vec<String> = linked
            .set()
            .policies()
            .filter(|p| p.template_id().is_some())
            .map(|p| p.id().to_string())
            .collect();
        assert_eq!(ids, ["grant:3"], "the reused copy kept earlier links");
    }

    #[test]
    fn a_failed_link_leaves_no_link_behind() {
        let engine = PolicyEngine::embedded().expect("policies");
        let sets = LinkedSets::new(engine.access_policies().clone());
        let app = uid(Kind::Application, "a1");
        // The same id twice: the second link fails.
        let err = sets
            .with(names(), &[link(1), link(1)], &app)
            .err()
            .expect("a repeated link id is refused");
        assert!(err.contains("grant:1"), "{err}");
        let linked = sets.with(names(), &[link(2)], &app).expect("linked");
        assert_eq!(
            linked
                .set()
                .policies()
                .filter(|p| p.template_id().is_some())
                .count(),
            1
        );
    }
}
