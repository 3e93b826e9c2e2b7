<?php
/**
 * Signing of the plugin's server-to-server requests to the Tierwise app: the WordPress
 * counterpart of Shopify's app proxy signature. The app verifies it in
 * woo-bridge/src/plugin-signature.ts; both must build the same string:
 *   "v1\n<unix seconds>\n<customer id or empty>\n<METHOD>\n<path>\n<sha256 hex of the body>"
 * and sign it as lowercase hex HMAC-SHA256 with the connection's plugin secret.
 *
 * This file has no WordPress dependencies, so it can be tested with the PHP CLI alone.
 *
 * @package Tierwise
 */

if ( ! function_exists( 'tierwise_signing_string' ) ) {
	/**
	 * The string that is signed.
	 *
	 * @param int|string $timestamp   Unix time in seconds.
	 * @param int|string $customer_id The logged-in customer's user id, or '' for a visitor.
	 * @param string     $method      HTTP method.
	 * @param string     $path        Path of the app URL (no query string).
	 * @param string     $body        Raw request body ('' for GET).
	 * @return string
	 */
	function tierwise_signing_string( $timestamp, $customer_id, $method, $path, $body ) {
		return implode(
			"\n",
			array( 'v1', (string) $timestamp, (string) $customer_id, strtoupper( (string) $method ), (string) $path, hash( 'sha256', (string) $body ) )
		);
	}
}

if ( ! function_exists( 'tierwise_sign_request' ) ) {
	/**
	 * The signature sent in X-Tierwise-Signature.
	 *
	 * @param string     $secret      The connection's plugin secret (from the Tierwise admin).
	 * @param int|string $timestamp   Unix time in seconds.
	 * @param int|string $customer_id The logged-in customer's user id, or ''.
	 * @param string     $method      HTTP method.
	 * @param string     $path        Path of the app URL.
	 * @param string     $body        Raw request body.
	 * @return string Lowercase hex HMAC-SHA256.
	 */
	function tierwise_sign_request( $secret, $timestamp, $customer_id, $method, $path, $body = '' ) {
		return hash_hmac( 'sha256', tierwise_signing_string( $timestamp, $customer_id, $method, $path, $body ), (string) $secret );
	}
}

if ( ! function_exists( 'tierwise_signed_headers' ) ) {
	/**
	 * The headers of a signed request.
	 *
	 * @param string     $secret      Plugin secret.
	 * @param int|string $customer_id Customer id or ''.
	 * @param string     $method      HTTP method.
	 * @param string     $path        Path of the app URL.
	 * @param string     $body        Raw body.
	 * @param int|null   $now         Unix time (defaults to time()).
	 * @return array<string,string>
	 */
	function tierwise_signed_headers( $secret, $customer_id, $method, $path, $body = '', $now = null ) {
		$timestamp = (string) ( null === $now ? time() : (int) $now );
		return array(
			'X-Tierwise-Customer'  => (string) $customer_id,
			'X-Tierwise-Timestamp' => $timestamp,
			'X-Tierwise-Signature' => tierwise_sign_request( $secret, $timestamp, $customer_id, $method, $path, $body ),
		);
	}
}
