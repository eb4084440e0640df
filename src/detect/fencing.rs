//! Leases and fencing: a stale write accepted (corruption), or refused by a fencing check.

use super::{seconds, Fact, Finding, FindingKind, Observed};
use crate::sim::{EventId, EventKind, Trace};

/// Reports every write storage accepted from a holder whose lease had already been granted to
/// someone else (stale write accepted), and every write storage refused for its old token
/// (fencing rejection: the mitigation at work).
pub fn detect_fencing<M: Observed>(trace: &Trace<M>) -> Vec<Finding> {
    let mut newest_grant: Option<(u64, EventId)> = None;
    let mut findings = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        let (EventKind::Local { note } | EventKind::ClientReply { note, .. }) = event.kind else {
            continue;
        };
        match M::fact(trace.note(note)) {
            Some(Fact::LeaseGranted { token, .. })
                if newest_grant.is_none_or(|(newest, _)| token > newest) =>
            {
                newest_grant = Some((token, id));
            }
            Some(Fact::FencedWrite {
                token,
                writer,
                accepted,
            }) => {
                let Some((newest, grant)) = newest_grant.filter(|(newest, _)| token < *newest)
                else {
                    continue;
                };
                let (kind, summary) = if accepted {
                    (
                        FindingKind::StaleWriteAccepted,
                        format!(
                            "Stale write accepted: {writer} wrote with token {token} at {} after \
                             token {newest} had been granted",
                            seconds(event.time)
                        ),
                    )
                } else {
                    (
                        FindingKind::FencingRejection,
                        format!(
                            "Fencing: storage refused {writer}'s token {token} at {} (it has seen {newest})",
                            seconds(event.time)
                        ),
                    )
                };
                findings.push(Finding {
                    kind,
                    time: event.time,
                    nodes: vec![writer, event.node],
                    events: vec![grant, id],
                    summary,
                });
            }
            _ => {}
        }
    }
    findings
}
