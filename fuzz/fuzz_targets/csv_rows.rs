#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lanyard_fuzz_harness::csv_rows(data));
