#![no_main]

// Each target uses one function of the harness.
#[allow(dead_code)]
#[path = "../harness/src/lib.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::oidc_request(data));
