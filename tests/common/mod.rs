pub mod determinism;
