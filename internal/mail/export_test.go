package mail

// Backoff exposes backoff to the tests of package mail_test.
var Backoff = backoff
