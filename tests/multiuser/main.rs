//! The tests that act as other Unix users (peer credentials, a store shared
//! by a group), in a binary of their own. In the one `suite` binary they
//! failed now and then when run alongside every other test (a refused user
//! was told the server was not running); alone, as before the suite, they
//! pass. Until that is understood they run apart. They use the suite's
//! fixtures.

#[path = "../suite/fixtures/mod.rs"]
mod fixtures;

mod peer_auth;
