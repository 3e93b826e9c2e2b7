<?php
/**
 * The widget's data endpoint on WordPress: /wp-json/tierwise/v1/status and /redeem. It finds the
 * logged-in customer from WordPress's auth cookie, signs their id for the Tierwise app, and
 * relays the app's answer (the same JSON as Shopify's app proxy).
 *
 * @package Tierwise
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * REST relay to the Tierwise app.
 */
class Tierwise_Storefront {
	const REST_NAMESPACE = 'tierwise/v1';

	/**
	 * Hooks.
	 */
	public static function register() {
		add_action( 'rest_api_init', array( __CLASS__, 'routes' ) );
	}

	/**
	 * The widget's two calls.
	 */
	public static function routes() {
		register_rest_route(
			self::REST_NAMESPACE,
			'/status',
			array(
				'methods'             => 'GET',
				'callback'            => array( __CLASS__, 'status' ),
				'permission_callback' => '__return_true',
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/redeem',
			array(
				'methods'             => 'POST',
				'callback'            => array( __CLASS__, 'redeem' ),
				'permission_callback' => '__return_true',
			)
		);
	}

	/**
	 * The customer signed in on this request. The widget does not send WordPress's REST nonce, so
	 * the logged_in cookie is validated directly (the REST API would otherwise treat the request
	 * as anonymous).
	 *
	 * @return int User id, 0 for a visitor.
	 */
	public static function customer_id() {
		$user_id = get_current_user_id();
		if ( $user_id ) {
			return (int) $user_id;
		}
		$cookie_user = wp_validate_auth_cookie( '', 'logged_in' );
		return $cookie_user ? (int) $cookie_user : 0;
	}

	/**
	 * The locale for the app's messages: en, pl or cs.
	 *
	 * @return string
	 */
	public static function locale() {
		$locale = function_exists( 'determine_locale' ) ? determine_locale() : get_locale();
		$base   = strtolower( substr( (string) $locale, 0, 2 ) );
		return in_array( $base, array( 'en', 'pl', 'cs' ), true ) ? $base : 'en';
	}

	/**
	 * GET status.
	 *
	 * @return WP_REST_Response
	 */
	public static function status() {
		return self::relay( 'GET', 'status', '', self::customer_id() );
	}

	/**
	 * POST redeem: only for a signed-in customer, only from this site's own pages.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response
	 */
	public static function redeem( $request ) {
		$origin = $request->get_header( 'origin' );
		if ( $origin && wp_parse_url( $origin, PHP_URL_HOST ) !== wp_parse_url( home_url(), PHP_URL_HOST ) ) {
			return new WP_REST_Response( array( 'error' => 'forbidden_origin' ), 403 );
		}
		$customer = self::customer_id();
		if ( ! $customer ) {
			return new WP_REST_Response(
				array(
					'error'   => 'unknown_member',
					'message' => __( 'Sign in to your account to use your points.', 'tierwise' ),
				),
				401
			);
		}
		$body = (string) $request->get_body();
		if ( strlen( $body ) > 4096 ) {
			return new WP_REST_Response( array( 'error' => 'invalid_request' ), 400 );
		}
		return self::relay( 'POST', 'redeem', $body, $customer );
	}

	/**
	 * Calls the app, signed, and returns its answer.
	 *
	 * @param string $method   GET or POST.
	 * @param string $action   status or redeem.
	 * @param string $body     Raw JSON body.
	 * @param int    $customer Customer id (0 = visitor).
	 * @return WP_REST_Response
	 */
	public static function relay( $method, $action, $body, $customer ) {
		if ( ! Tierwise_Settings::is_configured() ) {
			return new WP_REST_Response(
				array(
					'error'   => 'not_configured',
					'message' => __( 'The loyalty program is not available right now.', 'tierwise' ),
				),
				503
			);
		}
		$settings = Tierwise_Settings::get();
		$url      = $settings['app_url'] . '/woo/storefront/' . rawurlencode( $settings['connection_id'] ) . '/' . $action;
		$path     = (string) wp_parse_url( $url, PHP_URL_PATH );
		$headers  = tierwise_signed_headers( $settings['secret'], $customer ? (string) $customer : '', $method, $path, $body );
		$headers['Content-Type']    = 'application/json';
		$headers['Accept-Language'] = self::locale();
		$response = wp_remote_request(
			add_query_arg( 'locale', self::locale(), $url ),
			array(
				'method'  => $method,
				'headers' => $headers,
				'body'    => 'POST' === $method ? $body : null,
				'timeout' => 10,
			)
		);
		if ( is_wp_error( $response ) ) {
			return new WP_REST_Response(
				array(
					'error'   => 'unavailable',
					'message' => __( 'The loyalty program is not available right now.', 'tierwise' ),
				),
				502
			);
		}
		$data   = json_decode( wp_remote_retrieve_body( $response ), true );
		$result = new WP_REST_Response( is_array( $data ) ? $data : array( 'error' => 'unavailable' ), (int) wp_remote_retrieve_response_code( $response ) );
		$result->header( 'Cache-Control', 'private, no-store' );
		return $result;
	}
}
