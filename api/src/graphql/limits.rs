//! A limit async-graphql lacks: the number of aliases in one document, so a single request
//! cannot fan one field out into thousands of resolver calls.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{
    ExecutableDocument, FragmentDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned};
use async_graphql::{ServerError, ServerResult, Variables};

pub struct AliasLimit(pub usize);

impl ExtensionFactory for AliasLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AliasLimitExtension(self.0))
    }
}

struct AliasLimitExtension(usize);

/// Counts the aliases a document runs: a fragment's count again at every spread of it, so that
/// spreading one fragment many times costs what writing it out would. Each fragment is counted
/// once (memoised) and the sums saturate, so nested spreads cannot make the count itself slow;
/// a cycle of spreads counts nothing here (validation refuses it after parsing).
struct Counter<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    counted: HashMap<&'a str, usize>,
    visiting: HashSet<&'a str>,
}

impl<'a> Counter<'a> {
    fn selections(&mut self, set: &'a SelectionSet) -> usize {
        set.items.iter().fold(0, |sum, item| {
            let here = match &item.node {
                Selection::Field(field) => usize::from(field.node.alias.is_some())
                    .saturating_add(self.selections(&field.node.selection_set.node)),
                Selection::InlineFragment(fragment) => {
                    self.selections(&fragment.node.selection_set.node)
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str())
                }
            };
            sum.saturating_add(here)
        })
    }

    fn fragment(&mut self, name: &'a str) -> usize {
        if let Some(count) = self.counted.get(name) {
            return *count;
        }
        let Some(definition) = self.fragments.get(name) else {
            return 0;
        };
        if !self.visiting.insert(name) {
            return 0;
        }
        let count = self.selections(&definition.node.selection_set.node);
        self.visiting.remove(name);
        self.counted.insert(name, count);
        count
    }
}

pub fn aliases_in(document: &ExecutableDocument) -> usize {
    let mut counter = Counter {
        fragments: &document.fragments,
        counted: HashMap::new(),
        visiting: HashSet::new(),
    };
    document.operations.iter().fold(0, |sum, (_, op)| {
        sum.saturating_add(counter.selections(&op.node.selection_set.node))
    })
}

#[async_trait::async_trait]
impl Extension for AliasLimitExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let aliases = aliases_in(&document);
        if aliases > self.0 {
            return Err(ServerError::new(
                format!(
                    "the query uses {aliases} aliases; at most {} are allowed",
                    self.0
                ),
                None,
            ));
        }
        Ok(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_counted_in_operations_and_fragments() {
        let doc = async_graphql::parser::parse_query(
            "{ a: viewer { b: id } ...F } fragment F on QueryRoot { c: viewer { id } }",
        )
        .unwrap();
        assert_eq!(aliases_in(&doc), 3);
    }

    #[test]
    fn a_fragment_counts_at_every_spread() {
        let doc = async_graphql::parser::parse_query(
            "{ ...F ...F ...F x: viewer { ...G } } \
             fragment F on QueryRoot { a: viewer { id } b: viewer { ...G } } \
             fragment G on Viewer { n: name }",
        )
        .unwrap();
        // F holds 3 (a, b, and G's n); spread 3 times = 9; x and its G = 2.
        assert_eq!(aliases_in(&doc), 11);
    }

    #[test]
    fn nested_and_cyclic_spreads_are_counted_quickly() {
        // Each level spreads the next twice: 2^40 aliases written out.
        let mut query = String::from("{ ...F0 }");
        for level in 0..40 {
            query.push_str(&format!(
                " fragment F{level} on QueryRoot {{ ...F{next} ...F{next} }}",
                next = level + 1
            ));
        }
        query.push_str(" fragment F40 on QueryRoot { a: viewer { id } }");
        let doc = async_graphql::parser::parse_query(&query).unwrap();
        assert_eq!(aliases_in(&doc), 1 << 40);
        let cycle = async_graphql::parser::parse_query(
            "{ ...A } fragment A on QueryRoot { a: viewer { id } ...B } \
             fragment B on QueryRoot { ...A }",
        )
        .unwrap();
        assert_eq!(aliases_in(&cycle), 1);
    }
}
