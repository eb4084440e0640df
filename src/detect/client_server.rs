//! Client-server hazards: an operation applied twice, writes applied out of order, and updates
//! lost between a read and a write.

use super::{seconds, Fact, Facts, Finding, FindingKind};
use crate::sim::{EventId, EventKind, NodeId};

pub fn detect_client_server(trace: &Facts) -> Vec<Finding> {
    let mut applied: Vec<((NodeId, u32), EventId)> = Vec::new();
    // Per client, the values it sent, in order.
    let mut issued: Vec<(NodeId, Vec<u32>)> = Vec::new();
    // Per client, the newest issue position the server has applied, and where.
    let mut newest_applied: Vec<(NodeId, usize, EventId)> = Vec::new();
    let mut read_versions: Vec<((u32, NodeId, u32), EventId)> = Vec::new();
    let mut findings = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        let (EventKind::Local { note } | EventKind::ClientReply { note, .. }) = event.kind else {
            continue;
        };
        let at = seconds(event.time);
        match trace.fact(note) {
            Some(Fact::Applied { client, op }) => {
                if let Some(&(_, first)) = applied.iter().find(|(key, _)| *key == (client, op)) {
                    findings.push(Finding {
                        kind: FindingKind::DuplicateEffect,
                        time: event.time,
                        nodes: vec![client, event.node],
                        events: vec![first, id],
                        summary: format!(
                            "Duplicate effect: {client}'s operation #{} was applied a second \
                             time at {at} (a retry, or a copy the network delivered twice, of a request \
                             already applied)",
                            op + 1
                        ),
                    });
                }
                applied.push(((client, op), id));
            }
            Some(Fact::SetIssued { value }) => {
                match issued.iter_mut().find(|(c, _)| *c == event.node) {
                    Some((_, values)) => values.push(value),
                    None => issued.push((event.node, vec![value])),
                }
            }
            Some(Fact::SetApplied { client, value }) => {
                let order = issued
                    .iter()
                    .find(|(c, _)| *c == client)
                    .and_then(|(_, values)| values.iter().rposition(|v| *v == value));
                let Some(position) = order else { continue };
                match newest_applied.iter_mut().find(|(c, _, _)| *c == client) {
                    Some((_, newest, newest_event)) if position < *newest => {
                        let newer = issued
                            .iter()
                            .find(|(c, _)| *c == client)
                            .map(|(_, v)| v[*newest]);
                        findings.push(Finding {
                            kind: FindingKind::OrderingViolation,
                            time: event.time,
                            nodes: vec![client, event.node],
                            events: vec![*newest_event, id],
                            summary: format!(
                                "Ordering violation: {client}'s SET x = {value} was applied at {at} \
                                 after its later SET x = {}, so x ends up older than what it sent last",
                                newer.unwrap_or_default()
                            ),
                        });
                    }
                    Some(entry) => *entry = (client, position, id),
                    None => newest_applied.push((client, position, id)),
                }
            }
            Some(Fact::ReadModifyWrite {
                client,
                op,
                read_version,
            }) => {
                let node = event.node;
                let same_read = read_versions
                    .iter()
                    .find(|((v, c, _), _)| *v == read_version && *c != client);
                if let Some(&((_, other, other_op), other_event)) = same_read {
                    findings.push(Finding {
                        kind: FindingKind::AckedWriteLost,
                        time: event.time,
                        nodes: vec![other, client, node],
                        events: vec![other_event, id],
                        summary: format!(
                            "Lost update: {client}'s write at {at} was computed from version \
                             {read_version}, which {other}'s update #{} had already \
                             replaced; {other}'s update is gone",
                            other_op + 1
                        ),
                    });
                }
                read_versions.push(((read_version, client, op), id));
            }
            _ => {}
        }
    }
    findings
}
