//! Client and server: retries, reordering and lost updates.

use super::prelude::*;

pub(super) fn client(
    at_us: Micros,
    node: NodeId,
    op: server::ClientOp,
) -> Scheduled<server::ClientOp> {
    at(at_us, Command::Client { node, op })
}

/// Server A and clients, over a link of `latency_us` plus up to `jitter_us`.
pub(super) fn client_server(
    nodes: u8,
    seed: u64,
    latency_us: Micros,
    jitter_us: Micros,
) -> SimConfig {
    SimConfig {
        nodes,
        seed,
        link: LinkConfig {
            latency_us,
            jitter_us,
            loss: 0.0,
            duplication: 0.0,
        },
        clocks: Vec::new(),
        links: Vec::new(),
    }
}

/// What the client-server stories call their nodes.
fn server_and_clients() -> Vec<String> {
    ["Server", "Client B", "Client C"]
        .map(String::from)
        .to_vec()
}

pub(super) fn reordered_writes() -> Scenario {
    let set = |at_us, value| client(at_us, B, server::ClientOp::Set { value });
    Scenario {
        id: "reordered-writes".to_string(),
        title: "SET x = 1, 2, 3 arrive out of order".to_string(),
        lesson: "A client sends three writes 5 ms apart. The network delays each by a different \
                 amount, they arrive reordered, and x ends up 2 instead of 3."
            .to_string(),
        shows: Some(FindingKind::OrderingViolation),
        fix_cost: None,
        // Seed 2 makes the network deliver them as 3, 1, 2, as in the source's diagram (the
        // narration test checks the order against the trace).
        config: client_server(2, 2, 10_000, 30_000),
        model: ModelSpec::Server {
            params: Server::default(),
            fixed: Server {
                sequence_numbers: true,
                ..Server::default()
            },
            script: vec![set(100_000, 1), set(105_000, 2), set(110_000, 3)],
        },
        duration_us: 300_000,
        key_moment_us: 141_000,
        narration: vec![
            say(
                0,
                "Server A holds x. Client B sends SET x = 1, SET x = 2, SET x = 3, five \
                    milliseconds apart. Each message takes 10 to 40 ms: networks queue and delay \
                    packets unpredictably.",
            ),
            say_if(
                Shown::WithoutFix,
                141_000,
                "The writes arrive as 3, 1, 2. The server applies each \
                    as it comes, and x ends at 2: not what B sent last.",
            ),
            say_if(
                Shown::WithFix,
                141_000,
                "Each SET carries B's sequence number. Number 3 arrives \
                    first; when numbers 1 and 2 arrive after it, the server knows they are old and \
                    ignores them: x stays 3.",
            ),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(A, "receives “set x")],
            question: "B sent x = 1, 2, 3 in that order, 5 ms apart. What value does x end with?"
                .to_string(),
            choices: vec![
                "3, the last write".to_string(),
                "Whichever write arrives last".to_string(),
                "1, the first write".to_string(),
            ],
            answer: 1,
            explanation:
                "Sending order is not arrival order: variable delay reorders messages, and \
                          a server that applies them as they come ends with whatever came last."
                    .to_string(),
        },
        fix: Fix {
            label: "Sequence numbers".to_string(),
            explanation: "The client numbers its writes; the server remembers the highest number \
                          it applied and ignores older ones."
                .to_string(),
            cost: "The server keeps a counter per client.".to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "B's writes now carry sequence numbers. x = 3 arrived first and the server applied \
                it; x = 1 and then x = 2 arrive after it. What value does x end with?"
                .to_string(),
            choices: vec![
                "x = 2, the write that arrives last".to_string(),
                "x = 3: the server sees that 1 and 2 are older and ignores them".to_string(),
                "It depends on the network: the numbers only label the writes".to_string(),
            ],
            answer: 1,
            explanation: "The server remembers the highest sequence number it has applied, 3. Writes 1 and 2 \
                arrive with lower numbers, so it knows they are older than what it holds and ignores \
                them: arrival order no longer decides."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(A), says: "ignores".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Networks” › “Timeouts and Unbounded Delays” › “Network \
            congestion and queueing”".to_string(),
        view: View {
            names: server_and_clients(),
            frame: Some((95_000, 150_000)),
            ..View::default()
        },
        explains: Vec::new(),
    }
}

pub(super) fn retry_charges_twice() -> Scenario {
    Scenario {
        id: "retry-double-charge".to_string(),
        title: "A retry charges the card twice".to_string(),
        lesson: "The server charges the card, but its reply is lost. The client cannot tell a lost \
                 request from a lost reply, retries, and the card is charged again."
            .to_string(),
        shows: Some(FindingKind::DuplicateEffect),
        fix_cost: None,
        config: client_server(2, 10, 10_000, 0),
        model: ModelSpec::Server {
            params: Server::default(),
            fixed: Server { idempotency_keys: true, ..Server::default() },
            script: vec![
                client(100_000, B, server::ClientOp::Charge { amount: 30 }),
                at(105_000, Command::CutLink { from: A, to: B }),
                at(250_000, Command::HealLink { from: A, to: B }),
            ],
        },
        duration_us: 600_000,
        key_moment_us: 300_000,
        narration: vec![
            say(0, "Server A keeps a card's balance: 100. Client B asks it to charge the card 30."),
            say(115_000, "The server charges the card (balance 100 → 70) and replies, but the link \
                          back to B has failed: the reply is lost."),
            say(300_000, "B has heard nothing for 200 ms. Was the request lost, or the reply? It \
                          cannot know, so it sends the charge again."),
            say_if(Shown::WithoutFix, 310_000, "The server sees a new request and charges again: \
                    70 → 40. One purchase, two charges."),
            say_if(Shown::WithFix, 310_000, "The retry carries the same idempotency key. The server \
                    has applied that key already, so it only repeats the answer: the balance stays 70."),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(A, "balance 40")],
            question: "The server charged the card but its reply was lost. B retries. What happens?"
                .to_string(),
            choices: vec![
                "The server notices the duplicate".to_string(),
                "The card is charged a second time".to_string(),
                "The retry fails".to_string(),
            ],
            answer: 1,
            explanation: "Without an identifier that survives retries, a retried request looks \
                          exactly like a new one."
                .to_string(),
        },
        fix: Fix {
            label: "Idempotency keys".to_string(),
            explanation: "The client tags each operation with a key and reuses it on every retry; \
                          the server records the keys it has applied and never applies one twice."
                .to_string(),
            cost: "The server must remember keys (in practice, for a bounded time).".to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "The server charged the card (balance 70), and its answer was lost. B sends the \
                charge again, with the same idempotency key. What does the server do?"
                .to_string(),
            choices: vec![
                "Charges the card a second time: a retry looks like a new request".to_string(),
                "Refuses the retry as a duplicate, so B is told it failed".to_string(),
                "Charges nothing and repeats its answer: the balance stays 70".to_string(),
            ],
            answer: 2,
            explanation: "The server has recorded that it applied this key. The retry carries the same key, so \
                the server answers as it did the first time and charges nothing: B gets its answer, \
                and the card is charged once."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(B), says: "retries (attempt 2)".to_string() },
                Reveal { node: Some(A), says: "already charged".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Networks”".to_string(),
        view: View {
            names: vec!["Server".to_string(), "Client B".to_string(), "Client C".to_string()],
            frame: Some((90_000, 330_000)),
            ..View::default()
        },
        explains: Vec::new(),
    }
}

pub(super) fn lost_update() -> Scenario {
    let withdraw = |at_us, node, amount| client(at_us, node, server::ClientOp::Withdraw { amount });
    Scenario {
        id: "lost-update".to_string(),
        title: "Two withdrawals, one lost update".to_string(),
        lesson:
            "Two clients read the balance (100), each subtracts its amount and writes the result \
                 back: 50 and 70. The second write overwrites the first, and a withdrawal vanishes."
                .to_string(),
        shows: Some(FindingKind::AckedWriteLost),
        fix_cost: None,
        config: client_server(3, 14, 10_000, 0),
        model: ModelSpec::Server {
            params: Server::default(),
            fixed: Server {
                compare_and_set: true,
                ..Server::default()
            },
            script: vec![withdraw(100_000, B, 50), withdraw(101_000, C, 30)],
        },
        duration_us: 400_000,
        key_moment_us: 131_000,
        narration: vec![
            say(
                0,
                "Server A holds a balance of 100. Clients B and C each withdraw: B takes 50, C \
                    takes 30. Each reads the balance, subtracts, and writes the result back.",
            ),
            say(121_000, "Both read 100: B computes 50, C computes 70."),
            say_if(
                Shown::WithoutFix,
                141_000,
                "B writes 50, then C writes 70 over it. Both are told \
                    they succeeded. The balance says 70, but 80 was withdrawn: B's update is lost.",
            ),
            say_if(
                Shown::WithFix,
                131_000,
                "Each write says which version it was computed from. C's \
                    write is based on a version B has already replaced, so compare-and-set refuses \
                    it.",
            ),
            say_if(
                Shown::WithFix,
                171_000,
                "C reads again (50) and writes 20: both withdrawals count.",
            ),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(A, "stores balance")],
            question: "B and C both read a balance of 100, and write back 50 and 70. What is the \
                       balance afterwards?"
                .to_string(),
            choices: vec![
                "20".to_string(),
                "70 (or 50)".to_string(),
                "An error".to_string(),
            ],
            answer: 1,
            explanation:
                "Each write replaces the balance with a value computed from a stale read; \
                          whichever lands last wins and the other withdrawal disappears."
                    .to_string(),
        },
        fix: Fix {
            label: "Compare-and-set".to_string(),
            explanation: "A write succeeds only if the value has not changed since it was read; \
                          otherwise the client reads again and recomputes."
                .to_string(),
            cost: "Contended writes retry.".to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "B's write of 50 has just been stored. Now C's write of 70 arrives, computed from the \
                balance of 100 that C read before B's write. What does the server do?"
                .to_string(),
            choices: vec![
                "Stores 70: the last write wins, and B's withdrawal is lost".to_string(),
                "Refuses it: the balance changed since C read it, so C reads again and writes 20".to_string(),
                "Stores 70, then corrects the balance once it has seen both withdrawals".to_string(),
            ],
            answer: 1,
            explanation: "Compare-and-set stores a write only if the value is still the version it was \
                computed from. C read version 0; B's write made it version 1, so C's write is \
                refused. C reads 50, takes its 30 off and writes 20: both withdrawals count."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(A), says: "receives “write balance 70".to_string() },
                Reveal { node: Some(A), says: "refuses the write".to_string() },
            ],
        }),
        source: "DDIA chapter 7, “Weak Isolation Levels” › “Preventing Lost Updates” › \
            “Compare-and-set”".to_string(),
        view: View {
            names: vec!["Server".to_string(), "Client B".to_string(), "Client C".to_string()],
            ..View::default()
        },
        explains: explains(
            FindingKind::AckedWriteLost,
            "A client was told its update succeeded, and the update is gone: two clients read the same \
             balance, each computed a new one from it, and the second write replaced the first \
             without knowing of it. Compare-and-set (or a lock, or an atomic operation) makes the \
             second writer notice and try again.",
        ),
    }
}

/// How many increments each client sends, and how often.
const INCREMENTS: u32 = 100;
const INCREMENT_EVERY_US: Micros = 50_000;
/// The lossy links between the clients and the server.
const DELIVERY_LOSS: f64 = 0.1;
const DELIVERY_DUPLICATION: f64 = 0.05;

pub(super) fn delivery_semantics() -> Scenario {
    let mut config = client_server(3, DELIVERY_SEED, 10_000, 10_000);
    let lossy = LinkConfig {
        loss: DELIVERY_LOSS,
        duplication: DELIVERY_DUPLICATION,
        ..config.link
    };
    config.links = [(B, A), (A, B), (C, A), (A, C)]
        .into_iter()
        .map(|(from, to)| LinkSetting {
            from,
            to,
            config: lossy,
        })
        .collect();
    let mut script = Vec::new();
    for k in 0..u64::from(INCREMENTS) {
        let at_us = 100_000 + k * INCREMENT_EVERY_US;
        script.push(client(
            at_us,
            B,
            server::ClientOp::Increment { retry: false },
        ));
        script.push(client(
            at_us + 5_000,
            C,
            server::ClientOp::Increment { retry: true },
        ));
    }
    let params = Server {
        retry_us: 100_000,
        max_attempts: 10,
        ..Server::default()
    };
    let fixed = Server {
        idempotency_keys: true,
        retry_every_increment: true,
        ..params.clone()
    };
    Scenario {
        id: "delivery-semantics".to_string(),
        title: "At most once, at least once, exactly once: 100 increments".to_string(),
        lesson: "Over a link that loses and duplicates messages, sending once loses some \
                 requests and retrying applies some twice. Only retries the receiver can \
                 recognise count each request once."
            .to_string(),
        shows: Some(FindingKind::DuplicateEffect),
        fix_cost: None,
        config,
        model: ModelSpec::Server {
            params,
            fixed,
            script,
        },
        duration_us: 5_600_000,
        // A few losses and duplicates have shown; the counters are far from final.
        key_moment_us: 600_000,
        narration: vec![
            say(
                0,
                "Server A keeps a counter for each client. Client B sends 100 increments, one \
                    every 50 ms, each just once and without waiting for an answer: fire and \
                    forget. Client C sends 100 as well, and retries each one until the server \
                    answers that it counted it, after 100 ms of silence. The links between the \
                    clients and the server lose 10 % of messages and deliver 5 % twice.",
            ),
            say_if(
                Shown::WithoutFix,
                210_000,
                "B's increment #3 is lost on the way. B never finds \
                    out, and never sends it again.",
            ),
            say_if(
                Shown::WithoutFix,
                330_000,
                "The server's answer to C's increment #3 was lost. \
                    After 100 ms of silence C sent it again, and the server counted it again: C \
                    cannot tell a lost request from a lost answer.",
            ),
            say_if(
                Shown::WithoutFix,
                2_780_000,
                "B's increment #54 reaches the server twice: the \
                    link duplicated it. The server counts it twice; it cannot tell a copy from a \
                    new request.",
            ),
            say_if(
                Shown::WithoutFix,
                5_400_000,
                "All done. The server counted 92 for B: 11 \
                    increments lost, 3 counted twice. Sending once is at most once only on a \
                    network that never duplicates. It counted 117 for C: none lost, 17 counted \
                    twice. Retrying is at least once.",
            ),
            say_if(
                Shown::WithFix,
                250_000,
                "Now every increment carries a key that stays the same \
                    on every retry and every copy, and B waits for answers and retries too. The \
                    server counts a key once; a second copy gets the same answer and no count.",
            ),
            say_if(
                Shown::WithFix,
                5_400_000,
                "All done: exactly 100 for B and 100 for C. The \
                    server recognised 40 copies and retries. The price: it remembers 200 keys, \
                    and B's messages now get answers too.",
            ),
            say_if(
                Shown::WithFix,
                5_500_000,
                "The server must remember a key for as long as a \
                    copy or a retry may still arrive. Were it to forget keys after 50 ms, sooner \
                    than C's retries, a late retry would be counted again.",
            ),
        ],
        prediction: Prediction {
            reveal: vec![answered_by("from Client B lost in the network")],
            question: "B sends each of its 100 increments once; C retries each of its 100 until \
                       the server answers. When all are done, what will the server's counters say?"
                .to_string(),
            choices: vec![
                "100 and 100".to_string(),
                "Fewer than 100 for B, more than 100 for C".to_string(),
                "Fewer than 100 for both".to_string(),
            ],
            answer: 1,
            explanation: "B's lost messages are never sent again: at most once. C's retries \
                          and the link's duplicates arrive as new requests: at least once."
                .to_string(),
        },
        fix: Fix {
            label: "Retry with idempotency keys".to_string(),
            explanation: "Every increment is retried until the server acknowledges it, and \
                          carries a key that stays the same across retries; the server remembers \
                          the keys it has counted and counts none twice. At-least-once delivery \
                          plus deduplication: effectively once."
                .to_string(),
            cost: "The server keeps a key for every request, for as long as a retry or a copy may \
                   still arrive; and B now waits for answers, so its link carries more than twice \
                   as many messages."
                .to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "B now waits for each answer too, retrying after 100 ms of silence, and every \
                increment carries a key. The server has just counted B's increment with key 1 and \
                answered. If that answer is lost, what becomes of the increment?"
                .to_string(),
            choices: vec![
                "B never learns it was counted, and gives up on it".to_string(),
                "B sends key 1 again, and the server counts it a second time".to_string(),
                "B sends key 1 again; the server answers but does not count it again".to_string(),
            ],
            answer: 2,
            explanation: "With no answer, B cannot tell a lost request from a lost answer, so it sends key 1 \
                again. The server has already counted key 1: it answers the copy and counts nothing, \
                so the increment counts once however many copies arrive."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(B), says: "“counted” from Server lost".to_string() },
                Reveal { node: Some(B), says: "retries (attempt 2)".to_string() },
                Reveal { node: Some(A), says: "already counted this +1 of Client B".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Networks”".to_string(),
        view: View {
            names: server_and_clients(),
            frame: Some((150_000, 450_000)),
            ..View::default()
        },
        explains: explains(
            FindingKind::DuplicateEffect,
            "An increment counted twice: C sent it again after a lost answer, or the link \
             delivered a message twice (to B's cost too). The server could not tell the second \
             copy from a new request. A key that stays the same across retries and copies lets \
             it count each request once.",
        ),
    }
}

const DELIVERY_SEED: u64 = 7;

/// The retry storm's load: each client sends a request this often…
const STORM_EVERY_US: Micros = 25_000;
/// …from 50 ms until this time; the run lasts 0.5 s longer.
const STORM_DURATION_US: Micros = 4_000_000;
/// Server A stalls from here, for this long.
const STALL_AT_US: Micros = 1_000_000;
const STALL_US: Micros = 300_000;

pub(super) fn retry_storm() -> Scenario {
    let mut script = Vec::new();
    let clients = [C, D, E, NodeId(5)];
    let mut at_us = 50_000;
    while at_us < STORM_DURATION_US {
        for (k, &node) in clients.iter().enumerate() {
            script.push(client(
                at_us + k as u64 * 6_000,
                node,
                server::ClientOp::Get,
            ));
        }
        at_us += STORM_EVERY_US;
    }
    script.push(at(STALL_AT_US, Command::Pause { node: A }));
    script.push(at(STALL_AT_US + STALL_US, Command::Resume { node: A }));
    crate::sim::sort::sort_by_key(&mut script, |s| s.at_us);
    let params = Server {
        servers: 2,
        queue: Some(server::Queue {
            service_us: 10_000,
            limit: 20,
        }),
        retry_us: 200_000,
        max_attempts: 3,
        failover_after: Some(2),
        ..Server::default()
    };
    let fixed = Server {
        failover_after: None,
        backoff: Some(server::Backoff {
            base_us: 100_000,
            cap_us: 1_000_000,
        }),
        breaker: Some(server::Breaker {
            after: 3,
            open_us: 500_000,
        }),
        ..params.clone()
    };
    Scenario {
        id: "retry-storm".to_string(),
        title: "A 300 ms stall becomes an outage: a retry storm".to_string(),
        lesson: "A server stalls briefly. Its clients time out and retry at once, so it wakes to \
                 more work than it can do, answers requests nobody waits for any more, and does \
                 not catch up; declared dead, it hands its load to a second server, which drowns \
                 too. The storm passes once the clients have left; the outage lasts because they \
                 never come back to a server they have written off."
            .to_string(),
        shows: Some(FindingKind::RetryStorm),
        fix_cost: None,
        config: client_server(6, STORM_SEED, 5_000, 2_000),
        model: ModelSpec::Server {
            params,
            fixed,
            script,
        },
        duration_us: STORM_DURATION_US + 500_000,
        key_moment_us: 1_600_000,
        narration: vec![
            say(
                0,
                "Servers A and B each serve one request at a time, taking 10 ms each, and let at \
                 most 20 wait in line: each can answer 100 requests a second. Clients C and E \
                 send to A, D and F to B, each a request every 25 ms: 80 a second for each \
                 server. A client waits 200 ms for an answer.",
            ),
            say_if(
                Shown::WithoutFix,
                0,
                "Then it sends the request again at once, up to 3 attempts in all. A client \
                 whose requests fail twice in a row declares its server dead and sends to the \
                 other one.",
            ),
            say_if(
                Shown::WithFix,
                0,
                "Then it waits a random time, up to 100 ms (up to 200 ms before a third \
                 attempt), and tries again. After 3 timeouts in a row its circuit breaker \
                 opens: it sends that server nothing for 500 ms.",
            ),
            say(
                STALL_AT_US,
                "Server A stops for 300 ms: a long garbage-collection pause. Requests to it \
                 wait, unanswered.",
            ),
            say_if(
                Shown::WithoutFix,
                1_200_000,
                "The requests A had not answered when it stopped have waited 200 ms. C and E \
                 send them again at once, on top of their new requests.",
            ),
            say_if(
                Shown::WithoutFix,
                1_300_000,
                "A wakes up to a full line of 20 requests and turns away 13 more. It answers \
                 the oldest first: requests whose clients have already given up on them.",
            ),
            say_if(
                Shown::WithoutFix,
                // Once the answers A sent over a full line's time are known to be late.
                1_520_000,
                "Every answer A sends now comes too late. A full line takes 200 ms to serve, as \
                 long as a client waits; each timeout adds a retry, and the line never \
                 empties. A is running normally: it is drowning in retries.",
            ),
            say_if(
                Shown::WithoutFix,
                1_625_000,
                "E, then C, have had two requests in a row fail: they declare A dead and send \
                 everything to B. But A is running; it is only behind.",
            ),
            say_if(
                Shown::WithoutFix,
                1_950_000,
                "B now has all four clients: 160 requests a second, and their retries. Its line \
                 fills, its answers come too late, and C and E declare B dead too. They have no \
                 server left.",
            ),
            say_if(
                Shown::WithoutFix,
                2_731_000,
                "D and F, B's own clients, gave up on B and moved to A, taking their retries \
                 with them. A drowned again, and by 2.731 s they have declared A dead as well.",
            ),
            say_if(
                Shown::WithoutFix,
                3_200_000,
                "Both servers are running and idle, and every client has declared both dead: \
                 each new request fails at once, 298 of them by the end. The storm itself is \
                 over: with their clients gone, A and B emptied their lines. What lasts is the \
                 clients' verdict: a client never tries a server it has written off again. A \
                 300 ms pause has become a total outage, with nothing broken.",
            ),
            say_if(
                Shown::WithFix,
                1_200_000,
                "The requests A had not answered when it stopped have waited 200 ms. E waits 48 \
                 ms before sending its first one again; C, 13 ms later, waits 31 ms.",
            ),
            say_if(
                Shown::WithFix,
                1_236_000,
                "C's retry leaves at 1.231 s and E's at 1.235 s, only 4.4 ms apart: random \
                 waits spread many clients' retries out on average, but any two can still land \
                 together.",
            ),
            say_if(
                Shown::WithFix,
                1_250_000,
                "After 3 timeouts in a row, E's breaker opens, then C's: for 500 ms they send \
                 A nothing, and each new request fails at once instead of joining A's line.",
            ),
            say_if(
                Shown::WithFix,
                1_300_000,
                "A wakes up to a full line of 20 requests and turns away 3 more. Nothing new \
                 joins the line, and by 1.500 s it is empty.",
            ),
            say_if(
                Shown::WithFix,
                1_772_000,
                "Their 500 ms over, the breakers each let one request through. A answers at \
                 once, the breakers close, and C and E are served again.",
            ),
            say_if(
                Shown::WithFix,
                3_200_000,
                "No server was declared dead, and D and F, B's clients, never noticed. The \
                 price: 38 of C's and E's requests failed at once while their breakers were \
                 open, and A had been ready for 0.26 s before they were served again.",
            ),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(A, "resumed")],
            question:
                "Server A stops for 300 ms and then runs normally again. What happens to the \
                       service?"
                    .to_string(),
            choices: vec![
                "A catches up within a second".to_string(),
                "A cannot catch up while its clients retry, and B fails too".to_string(),
                "Only A's clients notice".to_string(),
            ],
            answer: 1,
            explanation:
                "Retries add load exactly when the server is behind: the queue fills with \
                          requests whose clients have given up, every answer comes too late, and \
                          each late answer brings another retry."
                    .to_string(),
        },
        fix: Fix {
            label: "Backoff with jitter, and a circuit breaker".to_string(),
            explanation: "A client waits a random, growing time before each retry, so retries \
                          spread out instead of arriving together. After three timeouts in a row \
                          its breaker opens: rather than declare the server dead for good and \
                          move its load elsewhere, it sends that server nothing for 500 ms, then \
                          tries one request before sending more."
                .to_string(),
            cost: "While a breaker is open its client's requests fail at once, and each client \
                   comes back only after its own wait: recovery is slower for each client."
                .to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "Server A has stopped for 300 ms, and E's requests to it are timing out. With backoff \
                and circuit breakers, what happens to the service this time?"
                .to_string(),
            choices: vec![
                "A never catches up, and B is swamped too, as without them".to_string(),
                "A catches up soon after it wakes, and no server is declared dead".to_string(),
                "Nobody notices: the retries merely arrive a little later".to_string(),
            ],
            answer: 1,
            explanation: "Spread-out retries and open breakers keep C's and E's requests out of A's line while \
                it is behind, so A works its line off instead of drowning, and nobody moves its load \
                to B. The price falls on C's and E's clients: while a breaker is open, their \
                requests fail at once."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(E), says: "breaker opens: sends nothing".to_string() },
                Reveal { node: Some(C), says: "breaker opens: sends nothing".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Networks” › “Timeouts and Unbounded Delays”".to_string(),
        view: View {
            names: [
                "Server A", "Server B", "Client C", "Client D", "Client E", "Client F",
            ]
            .map(String::from)
            .to_vec(),
            frame: Some((900_000, 2_100_000)),
            ..View::default()
        },
        explains: Vec::new(),
    }
}

const STORM_SEED: u64 = 3;
