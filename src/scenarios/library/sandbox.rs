//! The sandbox's words, which follow the cluster it runs on: its title, lesson and narration
//! state the cluster's size, so a customised sandbox is retold (see [`retell_sandbox`]).

use super::{say, say_if};
use crate::models::election::Election;
use crate::scenarios::{Narration, Scenario, Shown};
use crate::sim::Micros;

/// How long the sandbox runs: long enough to break things at leisure (and about 11,000 events
/// for the playback benchmark).
pub(super) const SANDBOX_US: Micros = 30_000_000;
/// The sandbox's clients write this often.
pub(super) const SANDBOX_WRITE_EVERY_US: Micros = 100_000;

/// A cluster size in words, for a sentence's start ("Sixteen") or middle ("sixteen").
fn count_words(nodes: u8) -> (String, String) {
    const WORDS: [&str; 17] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    ];
    let word = WORDS
        .get(nodes as usize)
        .map_or_else(|| nodes.to_string(), |w| w.to_string());
    let mut capital = word.clone();
    if let Some(first) = capital.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    (capital, word)
}

/// The sandbox's title, lesson and narration for a cluster of `nodes` and a run of
/// `duration_us`: they state its size, so they follow the cluster in force (see
/// [`retell_sandbox`]).
pub(super) fn sandbox_story(nodes: u8, duration_us: Micros) -> (String, String, Vec<Narration>) {
    let (capital, count) = count_words(nodes);
    let heartbeat_ms = Election::default().heartbeat_us / 1_000;
    let every_ms = SANDBOX_WRITE_EVERY_US / 1_000;
    let traffic = if duration_us > SANDBOX_US {
        format!(
            "every {every_ms} ms for the first {} s",
            SANDBOX_US / 1_000_000
        )
    } else {
        format!("every {every_ms} ms")
    };
    let title = format!("Sandbox: a {count}-node cluster to break yourself");
    let lesson = "A healthy cluster electing a leader and serving steady client writes. Cut \
                  links, pause and crash nodes, make a node's clock run fast or slow, and watch \
                  what the detectors find. Its election runs on each node's monotonic clock, so \
                  drift matters (timeouts and leases run early or late) while clock offsets and \
                  NTP jumps change nothing here."
        .to_string();
    let opening = if nodes == 1 {
        format!(
            "One node leads alone, sending heartbeats to nobody every {heartbeat_ms} ms; \
             clients write to it {traffic}. Nothing is broken yet: that is up to you."
        )
    } else {
        format!(
            "{capital} nodes elect a leader, which sends a heartbeat every {heartbeat_ms} ms; \
             clients write through random nodes {traffic}. Nothing is broken yet: that is up to \
             you."
        )
    };
    let majority = nodes / 2 + 1;
    let (naive, quorum) = if nodes == 1 {
        (
            "Leaders are elected by timeout alone. With one node there is no network to \
             split: try pausing or crashing it."
                .to_string(),
            "Leaders need a majority, which one node is on its own. Try pausing or crashing \
             it."
            .to_string(),
        )
    } else {
        (
            "Leaders are elected by timeout alone. Try splitting the network in two.".to_string(),
            format!(
                "Leaders need a majority: {majority} of {count}. Try splitting the network in \
                 two, or pausing the leader."
            ),
        )
    };
    let narration = vec![
        say(0, &opening),
        say_if(Shown::WithoutFix, 0, &naive),
        say_if(Shown::WithFix, 0, &quorum),
    ];
    (title, lesson, narration)
}

/// The sandbox on a customised cluster tells of that cluster. Returns false for any other
/// scenario (a scenario of one's own keeps its texts, even with the sandbox's id).
pub(super) fn retell_sandbox(scenario: &mut Scenario, own: u8, own_duration_us: Micros) -> bool {
    let (title, lesson, narration) = sandbox_story(own, own_duration_us);
    let is_sandbox = scenario.id == "sandbox"
        && scenario.title == title
        && scenario.lesson == lesson
        && scenario.narration == narration;
    if is_sandbox {
        let (title, lesson, narration) = sandbox_story(scenario.config.nodes, scenario.duration_us);
        scenario.title = title;
        scenario.lesson = lesson;
        scenario.narration = narration;
    }
    is_sandbox
}
