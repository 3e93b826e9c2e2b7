<?php
/**
 * Runs the plugin's storefront relay once: php relay.php <plugin dir> <app url> <connection id>
 * <secret> <user id> <locale> <status|redeem> [json body]. Prints {status, data} as JSON.
 */
require __DIR__ . '/wp-runtime.php';
list( , $plugin, $app_url, $connection, $secret, $user, $locale, $action ) = $argv;
$body = isset( $argv[8] ) ? $argv[8] : '';
require $plugin . '/includes/signing.php';
require $plugin . '/includes/class-tierwise-settings.php';
require $plugin . '/includes/class-tierwise-storefront.php';

$GLOBALS['tw_options']['tierwise_settings'] = array( 'app_url' => $app_url, 'connection_id' => $connection, 'secret' => $secret );
$GLOBALS['tw_current_user'] = (int) $user;
$GLOBALS['tw_locale']       = $locale;

$response = 'redeem' === $action
	? Tierwise_Storefront::redeem( new WP_REST_Request( array( 'Content-Type' => 'application/json' ), $body ) )
	: Tierwise_Storefront::status();
echo json_encode( array( 'status' => $response->status, 'data' => $response->data ) );
