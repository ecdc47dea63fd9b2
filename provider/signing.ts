/**
 * Request signers, as pure functions: they take the credentials, the request, the timestamp and the
 * nonce, and return what to send. Checked against the clouds' published worked examples.
 *
 * @packageDocumentation
 */
export * from "./alicloud/signing";
export * from "./huaweicloud/signing";
