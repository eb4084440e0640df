//! Leases and fencing: a stale write accepted (corruption), or refused by a fencing check.

use super::{seconds, Fact, Facts, Finding, FindingKind};
use crate::sim::{EventId, EventKind};

/// Reports every write storage accepted from a holder whose lease had been superseded, over a
/// write it had already accepted from a newer holder (stale write accepted: the newer holder's
/// data is overwritten), and every write storage refused for its old token (fencing rejection:
/// the mitigation at work).
///
/// A write from a superseded holder that storage takes *before* any newer holder's write is not
/// a stale write: it arrived late, but in token order, and the newer holder's write will follow
/// it. No storage can refuse it, and no fencing scheme promises to; the hunt found such runs.
pub fn detect_fencing(trace: &Facts) -> Vec<Finding> {
    let mut newest_grant: Option<(u64, EventId)> = None;
    let mut newest_accepted: Option<(u64, EventId)> = None;
    let mut findings = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        let (EventKind::Local { note } | EventKind::ClientReply { note, .. }) = event.kind else {
            continue;
        };
        match trace.fact(note) {
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
                let overwritten = newest_accepted.filter(|(newest, _)| token < *newest);
                if accepted && overwritten.is_none() {
                    newest_accepted = Some((token, id));
                }
                let Some((newest, grant)) = newest_grant.filter(|(newest, _)| token < *newest)
                else {
                    continue;
                };
                let time = seconds(event.time);
                let (kind, events, summary) = match (accepted, overwritten) {
                    (true, None) => continue,
                    (true, Some((_, newer_write))) => (
                        FindingKind::StaleWriteAccepted,
                        vec![grant, newer_write, id],
                        format!(
                            "Stale write accepted: {writer} wrote with token {token} at {time} \
                             over a write made with token {newest}"
                        ),
                    ),
                    (false, _) => (
                        FindingKind::FencingRejection,
                        vec![grant, id],
                        format!(
                            "Fencing: storage refused {writer}'s token {token} at {time} (it has \
                             seen {newest})"
                        ),
                    ),
                };
                findings.push(Finding {
                    kind,
                    time: event.time,
                    nodes: vec![writer, event.node],
                    events,
                    summary,
                });
            }
            _ => {}
        }
    }
    findings
}
