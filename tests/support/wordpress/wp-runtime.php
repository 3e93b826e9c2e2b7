<?php
/**
 * The few WordPress functions the plugin's storefront relay uses, implemented for the PHP CLI so
 * tests can run the plugin's real relay (Tierwise_Storefront) against the running app over HTTP.
 * wp_remote_request is a real HTTP request (PHP streams). Not a WordPress: options live in an array.
 */

define( 'ABSPATH', __DIR__ . '/' );

$GLOBALS['tw_options']      = array();
$GLOBALS['tw_current_user'] = 0;
$GLOBALS['tw_locale']       = 'en_US';
$GLOBALS['tw_home']         = 'https://shop.example.com';

function get_option( $name, $default = false ) {
	return array_key_exists( $name, $GLOBALS['tw_options'] ) ? $GLOBALS['tw_options'][ $name ] : $default;
}
function wp_parse_args( $args, $defaults ) {
	return array_merge( $defaults, (array) $args );
}
function get_current_user_id() {
	return (int) $GLOBALS['tw_current_user'];
}
function wp_validate_auth_cookie( $cookie = '', $scheme = '' ) {
	return false;
}
function determine_locale() {
	return $GLOBALS['tw_locale'];
}
function get_locale() {
	return $GLOBALS['tw_locale'];
}
function wp_parse_url( $url, $component = -1 ) {
	return parse_url( $url, $component );
}
function home_url( $path = '' ) {
	return $GLOBALS['tw_home'] . $path;
}
function add_query_arg( $key, $value, $url ) {
	return $url . ( false === strpos( $url, '?' ) ? '?' : '&' ) . rawurlencode( $key ) . '=' . rawurlencode( $value );
}
function __( $text, $domain = 'default' ) {
	return $text;
}
function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}
class WP_Error {
	public $message;
	public function __construct( $code = '', $message = '' ) {
		$this->message = $message;
	}
}
function wp_remote_request( $url, $args ) {
	$headers = array();
	foreach ( $args['headers'] as $name => $value ) {
		$headers[] = $name . ': ' . $value;
	}
	$context = stream_context_create(
		array(
			'http' => array(
				'method'        => $args['method'],
				'header'        => implode( "\r\n", $headers ),
				'content'       => null === $args['body'] ? '' : $args['body'],
				'timeout'       => $args['timeout'],
				'ignore_errors' => true,
			),
		)
	);
	$body = @file_get_contents( $url, false, $context );
	if ( false === $body ) {
		return new WP_Error( 'http_request_failed', 'request failed' );
	}
	$status = 0;
	foreach ( $http_response_header as $line ) {
		if ( preg_match( '#^HTTP/\S+\s+(\d{3})#', $line, $m ) ) {
			$status = (int) $m[1];
		}
	}
	return array( 'body' => $body, 'response' => array( 'code' => $status ) );
}
function wp_remote_retrieve_body( $response ) {
	return $response['body'];
}
function wp_remote_retrieve_response_code( $response ) {
	return $response['response']['code'];
}
class WP_REST_Response {
	public $data;
	public $status;
	public $headers = array();
	public function __construct( $data = null, $status = 200 ) {
		$this->data   = $data;
		$this->status = $status;
	}
	public function header( $name, $value ) {
		$this->headers[ $name ] = $value;
	}
}
class WP_REST_Request {
	private $headers;
	private $body;
	public function __construct( $headers, $body ) {
		$this->headers = array_change_key_case( $headers );
		$this->body    = $body;
	}
	public function get_header( $name ) {
		$name = strtolower( $name );
		return isset( $this->headers[ $name ] ) ? $this->headers[ $name ] : null;
	}
	public function get_body() {
		return $this->body;
	}
}
