//! What a hunt may do, and its limits: every one written out, checked before a hunt starts
//! and when a share link brings settings in, each refusal naming the setting.

use serde::{Deserialize, Serialize};

use super::fault::{FaultKind, FAULT_KINDS};

/// The most schedules one hunt tries (a hunt on a 3 s scenario tries about a thousand a second).
pub const MAX_SCHEDULES: u32 = 100_000;
/// Schedules tried unless the person says otherwise: "a thousand tries".
pub const DEFAULT_SCHEDULES: u32 = 1_000;
/// The most faults one schedule may hold.
pub const MAX_FAULTS: u32 = 20;
/// Faults per schedule at most, unless the person says otherwise.
pub const DEFAULT_MAX_FAULTS: u32 = 8;
/// The most events one try may run: a schedule that makes the cluster chatter without end is
/// cut short here (and counted as such), so every try ends.
pub const MAX_EVENTS_PER_TRY: u64 = 200_000;
/// The most tries shrinking may spend on one failure.
pub const MAX_SHRINK_TRIES: u32 = 600;

/// A hunt's settings: which kinds of fault it may use, how many in one schedule at most, how
/// many schedules to try, and the seed they are drawn from. Share links carry them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The kinds of fault allowed, in [`FAULT_KINDS`] order.
    pub kinds: Vec<FaultKind>,
    pub max_faults: u32,
    pub schedules: u32,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            kinds: FAULT_KINDS.to_vec(),
            max_faults: DEFAULT_MAX_FAULTS,
            schedules: DEFAULT_SCHEDULES,
            seed: 1,
        }
    }
}

/// Why settings were refused; each names the setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsError {
    NoKinds,
    /// A kind listed twice.
    RepeatedKind(FaultKind),
    NoFaults,
    TooManyFaults(u32),
    NoSchedules,
    TooManySchedules(u32),
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingsError::NoKinds => write!(f, "kinds of fault: choose at least one"),
            SettingsError::RepeatedKind(kind) => {
                write!(f, "kinds of fault: \"{}\" is listed twice", kind.label())
            }
            SettingsError::NoFaults => write!(f, "faults per schedule: at least 1"),
            SettingsError::TooManyFaults(n) => write!(
                f,
                "faults per schedule: {n} is more than the {MAX_FAULTS} a schedule may hold"
            ),
            SettingsError::NoSchedules => write!(f, "schedules: at least 1"),
            SettingsError::TooManySchedules(n) => write!(
                f,
                "schedules: {n} is more than the {} a hunt may try",
                thousands(MAX_SCHEDULES)
            ),
        }
    }
}

impl Settings {
    /// The settings if they keep every limit; else the first broken one.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.kinds.is_empty() {
            return Err(SettingsError::NoKinds);
        }
        for (i, kind) in self.kinds.iter().enumerate() {
            if self.kinds[..i].contains(kind) {
                return Err(SettingsError::RepeatedKind(*kind));
            }
        }
        match self.max_faults {
            0 => return Err(SettingsError::NoFaults),
            n if n > MAX_FAULTS => return Err(SettingsError::TooManyFaults(n)),
            _ => {}
        }
        match self.schedules {
            0 => Err(SettingsError::NoSchedules),
            n if n > MAX_SCHEDULES => Err(SettingsError::TooManySchedules(n)),
            _ => Ok(()),
        }
    }

    /// Whether `kind` is allowed.
    pub fn allows(&self, kind: FaultKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The same settings with `kind` allowed or not, kinds kept in [`FAULT_KINDS`] order.
    pub fn with_kind(&self, kind: FaultKind, allowed: bool) -> Settings {
        let kinds = FAULT_KINDS
            .iter()
            .copied()
            .filter(|k| if *k == kind { allowed } else { self.allows(*k) })
            .collect();
        Settings {
            kinds,
            ..self.clone()
        }
    }
}

/// A count with thousands separated: "1,000", "100,000".
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_is_refused_by_name() {
        let good = Settings::default();
        assert_eq!(good.validate(), Ok(()));
        let cases = [
            (
                Settings {
                    kinds: Vec::new(),
                    ..good.clone()
                },
                "kinds of fault: choose at least one",
            ),
            (
                Settings {
                    kinds: vec![FaultKind::Pause, FaultKind::Pause],
                    ..good.clone()
                },
                "kinds of fault: \"pauses\" is listed twice",
            ),
            (
                Settings {
                    max_faults: 0,
                    ..good.clone()
                },
                "faults per schedule: at least 1",
            ),
            (
                Settings {
                    max_faults: 21,
                    ..good.clone()
                },
                "faults per schedule: 21 is more than the 20 a schedule may hold",
            ),
            (
                Settings {
                    schedules: 0,
                    ..good.clone()
                },
                "schedules: at least 1",
            ),
            (
                Settings {
                    schedules: 100_001,
                    ..good.clone()
                },
                "schedules: 100001 is more than the 100,000 a hunt may try",
            ),
        ];
        for (settings, message) in cases {
            assert_eq!(settings.validate().unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn kinds_stay_in_order_when_toggled() {
        let only_clocks = Settings {
            kinds: vec![FaultKind::ClockSkew],
            ..Settings::default()
        };
        let more = only_clocks.with_kind(FaultKind::Pause, true);
        assert_eq!(more.kinds, vec![FaultKind::Pause, FaultKind::ClockSkew]);
        assert_eq!(
            more.with_kind(FaultKind::ClockSkew, false).kinds,
            vec![FaultKind::Pause]
        );
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
