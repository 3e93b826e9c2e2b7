<?php
/**
 * Renders the plugin's widget (Tierwise_Plugin::widget, as the shortcode, block and My Account tab
 * do) on the minimal WordPress runtime: php render.php <plugin dir> <site url> <user id> <locale>
 * <block|embed>. Prints the HTML.
 */
require __DIR__ . '/wp-runtime.php';
list( , $plugin, $site, $user, $locale, $mode ) = $argv;
$GLOBALS['tw_home']         = $site;
$GLOBALS['tw_current_user'] = (int) $user;
$GLOBALS['tw_locale']       = $locale;

// The hooks and asset functions the plugin calls while building the markup.
function add_action() {}
function add_filter() {}
function add_shortcode() {}
function register_activation_hook() {}
function register_deactivation_hook() {}
function plugin_dir_path( $file ) {
	return rtrim( dirname( $file ), '/' ) . '/';
}
function plugins_url( $path, $file ) {
	return $GLOBALS['tw_home'] . '/wp-content/plugins/tierwise/' . $path;
}
function wp_script_is() {
	return true;
}
function wp_register_script() {}
function wp_register_style() {}
function wp_enqueue_script() {}
function wp_enqueue_style() {}
function rest_url( $path = '' ) {
	return $GLOBALS['tw_home'] . '/wp-json/' . ltrim( $path, '/' );
}
function untrailingslashit( $value ) {
	return rtrim( $value, '/\\' );
}
function wc_get_page_permalink( $page ) {
	return $GLOBALS['tw_home'] . '/my-account/';
}
function wp_unique_id( $prefix = '' ) {
	static $n = 0;
	return $prefix . ( ++$n );
}
function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}
function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}
function esc_url( $url ) {
	return htmlspecialchars( (string) $url, ENT_QUOTES, 'UTF-8' );
}
function esc_html__( $text, $domain = 'default' ) {
	return esc_html( tierwise_test_translate( $text, '' ) );
}
function esc_attr__( $text, $domain = 'default' ) {
	return esc_attr( tierwise_test_translate( $text, '' ) );
}
function _x( $text, $context, $domain = 'default' ) {
	return tierwise_test_translate( $text, $context );
}

/** gettext from the plugin's own .po file for the locale (what WordPress does with the .mo). */
function tierwise_test_translate( $text, $context ) {
	static $catalog = null;
	if ( null === $catalog ) {
		$catalog = array();
		$file    = $GLOBALS['tw_plugin'] . '/languages/tierwise-' . $GLOBALS['tw_locale'] . '.po';
		if ( is_readable( $file ) ) {
			preg_match_all( '/(?:^msgctxt "((?:[^"\\\\]|\\\\.)*)"\n)?^msgid "((?:[^"\\\\]|\\\\.)+)"\nmsgstr "((?:[^"\\\\]|\\\\.)*)"$/m', file_get_contents( $file ), $m, PREG_SET_ORDER );
			foreach ( $m as $entry ) {
				$catalog[ stripcslashes( $entry[1] ) . "\4" . stripcslashes( $entry[2] ) ] = stripcslashes( $entry[3] );
			}
		}
	}
	$key = $context . "\4" . $text;
	return isset( $catalog[ $key ] ) && '' !== $catalog[ $key ] ? $catalog[ $key ] : $text;
}

$GLOBALS['tw_plugin'] = $plugin;
define( 'TIERWISE_VERSION', 'test' );
define( 'TIERWISE_FILE', $plugin . '/tierwise.php' );
define( 'TIERWISE_DIR', $plugin . '/' );
require $plugin . '/includes/signing.php';
require $plugin . '/includes/widget-strings.php';
require $plugin . '/includes/class-tierwise-settings.php';
require $plugin . '/includes/class-tierwise-storefront.php';
require $plugin . '/includes/class-tierwise-plugin.php';
echo Tierwise_Plugin::instance()->widget( $mode );
