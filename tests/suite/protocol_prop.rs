//! The frame decoder against anything a peer may send: random bytes, random
//! lengths, cut frames. It must answer with an error, never panic, never
//! allocate what a length merely claims; and what is written reads back.

use clusterdesk::model::Collection;
use clusterdesk::server::protocol::{self, FrameError, Request, ServerMessage};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_an_error_or_a_frame_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let mut input = bytes.as_slice();
        // Read frames until the bytes run out or one is refused.
        for _ in 0..64 {
            match protocol::read_frame(&mut input) {
                Ok(payload) => {
                    prop_assert!(payload.len() <= protocol::MAX_FRAME);
                    let _ = protocol::decode::<Request>(&payload);
                    let _ = protocol::decode::<ServerMessage>(&payload);
                }
                Err(FrameError::TooLarge(n)) => {
                    prop_assert!(n > protocol::MAX_FRAME);
                    break;
                }
                Err(_) => break,
            }
        }
    }

    #[test]
    fn random_payloads_never_decode_into_a_panic(payload in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = protocol::decode::<Request>(&payload);
        let _ = protocol::decode::<ServerMessage>(&payload);
        let _ = protocol::read_answer(&payload);
        let _ = protocol::read_hello(&payload);
    }

    #[test]
    fn written_requests_read_back(key in "\\PC{0,40}", skip in any::<u64>(), limit in any::<u32>()) {
        let requests = [
            Request::Get { collection: Collection::Members, key: key.clone() },
            Request::Scan { collection: Collection::News, sort: Some(key.clone()), after: Some(key.clone().into_bytes()), skip, limit },
        ];
        for request in requests {
            let mut wire = Vec::new();
            protocol::write_frame(&mut wire, &protocol::encode(&request)).expect("writes");
            let payload = protocol::read_frame(&mut wire.as_slice()).expect("reads");
            prop_assert_eq!(protocol::decode::<Request>(&payload).expect("decodes"), request);
        }
    }

    #[test]
    fn a_frame_cut_anywhere_is_an_error(key in "\\PC{1,40}", cut in 0usize..64) {
        let mut wire = Vec::new();
        let request = Request::Get { collection: Collection::Members, key };
        protocol::write_frame(&mut wire, &protocol::encode(&request)).expect("writes");
        let cut = cut.min(wire.len() - 1);
        prop_assert!(protocol::read_frame(&mut &wire[..cut]).is_err());
    }
}
