//! Generated lists for [`crate::StandInBuilder::list_size`]: every list operation serves `n`
//! snapshots made from the first item of its spec example, each with an id of its own, paged
//! by `pageNum`/`itemsPerPage` with `totalCount` and `self`/`previous`/`next` links as Atlas
//! sends them. Items are made only for the page asked for, so long lists cost nothing until
//! read.

use serde_json::{json, Value};

/// The generated list every list operation serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dataset {
    len: u64,
}

/// Generated ids keep the first 16 hex digits of the example item's id and number the items
/// in the last 8, so they are valid Atlas ids and sort in list order.
const INDEX_DIGITS: usize = 8;

impl Dataset {
    pub fn new(len: u64) -> Self {
        Dataset { len }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The id of item `index` (from 0) of a list whose example item has `template_id`.
    pub fn id(template_id: &str, index: u64) -> String {
        let keep = template_id.len().saturating_sub(INDEX_DIGITS);
        format!(
            "{}{index:0width$x}",
            &template_id[..keep],
            width = INDEX_DIGITS
        )
    }

    /// The index of the item with `id`, if this list has one.
    fn index_of(&self, template_id: &str, id: &str) -> Option<u64> {
        let keep = template_id.len().checked_sub(INDEX_DIGITS)?;
        if id.len() != template_id.len() || id.get(..keep)? != &template_id[..keep] {
            return None;
        }
        let index = u64::from_str_radix(id.get(keep..)?, 16).ok()?;
        (index < self.len).then_some(index)
    }

    /// Item `index`: the example item with its id replaced everywhere it occurs (in `id` and
    /// in the `links` that point at it).
    pub fn item(template: &Value, index: u64) -> Value {
        let template_id = template_id(template).unwrap_or_default();
        let mut item = template.clone();
        if !template_id.is_empty() {
            replace_in_strings(&mut item, template_id, &Dataset::id(template_id, index));
        }
        item
    }

    /// The item with `id` in the list whose example is `list_example`.
    pub fn find(&self, list_example: &Value, id: &str) -> Option<Value> {
        let template = first_item(list_example)?;
        let index = self.index_of(template_id(template)?, id)?;
        Some(Dataset::item(template, index))
    }

    /// Page `page_num` (from 1) of `per_page` items, shaped like `list_example`. `path` is the
    /// request path the links point at; `include_count` keeps `totalCount`.
    pub fn page(
        &self,
        list_example: &Value,
        path: &str,
        page_num: u64,
        per_page: u64,
        include_count: bool,
    ) -> Value {
        let page_num = page_num.max(1);
        let per_page = per_page.max(1);
        let start = (page_num - 1).saturating_mul(per_page).min(self.len);
        let end = start.saturating_add(per_page).min(self.len);
        let results: Vec<Value> = match first_item(list_example) {
            Some(template) => (start..end).map(|i| Dataset::item(template, i)).collect(),
            None => Vec::new(),
        };
        let origin = link_origin(list_example);
        let link = |rel: &str, page: u64| {
            json!({
                "href": format!("{origin}{path}?pageNum={page}&itemsPerPage={per_page}"),
                "rel": rel,
            })
        };
        let mut links = Vec::new();
        if page_num > 1 {
            links.push(link("previous", page_num - 1));
        }
        links.push(link("self", page_num));
        if end < self.len {
            links.push(link("next", page_num + 1));
        }
        let mut page = list_example.clone();
        page["results"] = Value::Array(results);
        page["links"] = Value::Array(links);
        if include_count {
            page["totalCount"] = Value::from(self.len);
        } else if let Some(object) = page.as_object_mut() {
            object.remove("totalCount");
        }
        page
    }
}

fn first_item(list_example: &Value) -> Option<&Value> {
    list_example.get("results")?.as_array()?.first()
}

fn template_id(item: &Value) -> Option<&str> {
    item.get("id")?.as_str()
}

/// `https://cloud.mongodb.com`: the scheme and host of the example's own links, so generated
/// links look like the documented ones.
fn link_origin(list_example: &Value) -> String {
    let href = list_example
        .pointer("/links/0/href")
        .and_then(Value::as_str)
        .unwrap_or("https://cloud.mongodb.com/");
    match href.find("://").map(|i| i + 3) {
        Some(host_start) => {
            let host_end = href[host_start..]
                .find('/')
                .map_or(href.len(), |i| host_start + i);
            href[..host_end].to_owned()
        }
        None => String::new(),
    }
}

fn replace_in_strings(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::String(text) if text.contains(from) => *text = text.replace(from, to),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_in_strings(v, from, to)),
        Value::Object(fields) => fields
            .values_mut()
            .for_each(|v| replace_in_strings(v, from, to)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;

    fn flex_example() -> &'static Value {
        Spec::shared()
            .operation("listFlexBackupSnapshots")
            .newest_example()
    }

    const PATH: &str = "/api/atlas/v2/groups/g/flexClusters/c/backup/snapshots";

    #[test]
    fn pages_cover_the_list_once_with_unique_ids_and_links() {
        let data = Dataset::new(1203);
        let mut ids = Vec::new();
        for page_num in 1..=3 {
            let page = data.page(flex_example(), PATH, page_num, 500, true);
            assert_eq!(page["totalCount"], 1203);
            let rels: Vec<&str> = page["links"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["rel"].as_str().unwrap())
                .collect();
            match page_num {
                1 => assert_eq!(rels, ["self", "next"]),
                2 => assert_eq!(rels, ["previous", "self", "next"]),
                _ => assert_eq!(rels, ["previous", "self"]),
            }
            for item in page["results"].as_array().unwrap() {
                let id = item["id"].as_str().unwrap().to_owned();
                let self_link = item["links"][0]["href"].as_str().unwrap();
                assert!(self_link.ends_with(&id), "{self_link}");
                ids.push(id);
            }
        }
        assert_eq!(ids.len(), 1203);
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, ids, "unique and in list order");
        let second = data.page(flex_example(), PATH, 2, 500, false);
        assert_eq!(second.get("totalCount"), None);
        assert_eq!(
            second["links"][1]["href"],
            format!("https://cloud.mongodb.com{PATH}?pageNum=2&itemsPerPage=500")
        );
        let beyond = data.page(flex_example(), PATH, 4, 500, true);
        assert_eq!(beyond["results"], json!([]));
    }

    #[test]
    fn generated_ids_are_found_and_others_are_not() {
        let data = Dataset::new(10);
        let template = &flex_example()["results"][0];
        let template_id = template["id"].as_str().unwrap();
        let id = Dataset::id(template_id, 9);
        assert_eq!(id.len(), 24);
        let found = data.find(flex_example(), &id).expect("item 9");
        assert_eq!(found["id"], id.as_str());
        assert_eq!(found["status"], template["status"]);
        assert_eq!(
            data.find(flex_example(), &Dataset::id(template_id, 10)),
            None
        );
        assert_eq!(data.find(flex_example(), "0123456789abcdef01234567"), None);
        assert_eq!(data.find(flex_example(), "short"), None);
    }
}
