<?php
/**
 * The plugin: translations, the widget (shortcode [tierwise], the "tierwise/loyalty" block and a
 * "Loyalty" tab on WooCommerce's My Account page), all rendering the shared Tierwise widget
 * markup: an element with data-tierwise-root whose data-endpoint is this site's REST route.
 *
 * @package Tierwise
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Bootstrap.
 */
class Tierwise_Plugin {
	const ENDPOINT = 'loyalty';

	/**
	 * The instance.
	 *
	 * @var Tierwise_Plugin|null
	 */
	private static $instance = null;

	/**
	 * The one instance.
	 *
	 * @return Tierwise_Plugin
	 */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * Hooks.
	 */
	private function __construct() {
		add_action( 'init', array( $this, 'init' ) );
		add_action( 'wp_enqueue_scripts', array( $this, 'register_assets' ) );
		add_filter( 'woocommerce_account_menu_items', array( $this, 'account_menu' ) );
		add_action( 'woocommerce_account_' . self::ENDPOINT . '_endpoint', array( $this, 'account_tab' ) );
		Tierwise_Settings::register();
		Tierwise_Storefront::register();
	}

	/**
	 * Text domain, shortcode, block, My Account endpoint.
	 */
	public function init() {
		load_plugin_textdomain( 'tierwise', false, dirname( plugin_basename( TIERWISE_FILE ) ) . '/languages' );
		add_shortcode( 'tierwise', array( $this, 'shortcode' ) );
		add_rewrite_endpoint( self::ENDPOINT, EP_ROOT | EP_PAGES );
		if ( function_exists( 'register_block_type' ) ) {
			register_block_type(
				TIERWISE_DIR . 'blocks/loyalty',
				array( 'render_callback' => array( $this, 'render_block' ) )
			);
		}
	}

	/**
	 * The shared widget script and styles (built from the Shopify theme extension's source).
	 */
	public function register_assets() {
		$base = plugins_url( 'assets/', TIERWISE_FILE );
		wp_register_script( 'tierwise-widget', $base . 'tierwise-widget.js', array(), TIERWISE_VERSION, true );
		wp_register_style( 'tierwise-widget', $base . 'tierwise-widget.css', array(), TIERWISE_VERSION );
	}

	/**
	 * The widget's markup: the same structure as the theme extension's snippet
	 * (extensions/tierwise-theme/snippets/tierwise-root.liquid), so the one script fills both.
	 *
	 * @param string $mode "block" or "embed".
	 * @return string
	 */
	public function widget( $mode = 'block' ) {
		if ( ! wp_script_is( 'tierwise-widget', 'registered' ) ) {
			$this->register_assets();
		}
		wp_enqueue_script( 'tierwise-widget' );
		wp_enqueue_style( 'tierwise-widget' );
		$mode     = 'embed' === $mode ? 'embed' : 'block';
		$customer = Tierwise_Storefront::customer_id();
		$strings  = tierwise_widget_strings();
		$account  = function_exists( 'wc_get_page_permalink' ) ? wc_get_page_permalink( 'myaccount' ) : wp_login_url();

		$texts = '';
		foreach ( $strings as $key => $text ) {
			$texts .= ' data-' . esc_attr( $key ) . '="' . esc_attr( $text ) . '"';
		}
		$title   = esc_html( $strings['title'] );
		$loading = '<div class="tw-body" data-tierwise-body aria-live="polite"><p class="tw-muted">' . esc_html( $strings['loading'] ) . '</p></div>';
		if ( 'embed' === $mode ) {
			$panel = wp_unique_id( 'tw-panel-' );
			$inner = sprintf(
				'<button type="button" class="tw-launch" aria-expanded="false" aria-controls="%1$s">%2$s</button><section class="tw-panel" id="%1$s" role="dialog" aria-label="%3$s" tabindex="-1" hidden><div class="tw-head"><h2 class="tw-title">%3$s</h2><button type="button" class="tw-close" aria-label="%4$s">×</button></div>%5$s</section>',
				esc_attr( $panel ),
				esc_html( $strings['launcher'] ),
				$title,
				esc_attr( $strings['close'] ),
				$loading
			);
		} else {
			$inner = sprintf( '<section class="tw-card" aria-label="%1$s"><div class="tw-head"><h2 class="tw-title">%1$s</h2></div>%2$s</section>', $title, $loading );
		}
		return sprintf(
			'<div class="tw tw-%1$s%9$s" data-tierwise-root data-endpoint="%2$s" data-locale="%3$s" data-customer="%4$s" data-mode="%1$s" data-login-url="%5$s" data-register-url="%5$s"><i hidden data-tierwise-strings%6$s></i>%7$s<noscript>%8$s</noscript></div>',
			esc_attr( $mode ),
			esc_url( untrailingslashit( rest_url( Tierwise_Storefront::REST_NAMESPACE ) ) ),
			esc_attr( Tierwise_Storefront::locale() ),
			esc_attr( $customer ? (string) $customer : '' ),
			esc_url( $account ),
			$texts,
			$inner,
			esc_html__( 'Turn on JavaScript to see your loyalty points.', 'tierwise' ),
			'embed' === $mode ? ' tw-right' : ''
		);
	}

	/**
	 * [tierwise mode="block|embed"].
	 *
	 * @param array|string $atts Shortcode attributes.
	 * @return string
	 */
	public function shortcode( $atts ) {
		$atts = shortcode_atts( array( 'mode' => 'block' ), $atts, 'tierwise' );
		return $this->widget( (string) $atts['mode'] );
	}

	/**
	 * The block's server-side rendering.
	 *
	 * @param array $attributes Block attributes.
	 * @return string
	 */
	public function render_block( $attributes ) {
		$mode = isset( $attributes['mode'] ) ? (string) $attributes['mode'] : 'block';
		return $this->widget( $mode );
	}

	/**
	 * "Loyalty" in the My Account menu, before "Log out".
	 *
	 * @param array<string,string> $items Menu items.
	 * @return array<string,string>
	 */
	public function account_menu( $items ) {
		$logout = isset( $items['customer-logout'] ) ? $items['customer-logout'] : null;
		unset( $items['customer-logout'] );
		$items[ self::ENDPOINT ] = __( 'Loyalty', 'tierwise' );
		if ( null !== $logout ) {
			$items['customer-logout'] = $logout;
		}
		return $items;
	}

	/**
	 * The Loyalty tab's content.
	 */
	public function account_tab() {
		echo '<h2>' . esc_html__( 'Your loyalty points', 'tierwise' ) . '</h2>';
		echo $this->widget( 'block' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built from escaped parts above.
	}

	/**
	 * Activation: the My Account endpoint needs its rewrite rule.
	 */
	public static function activate() {
		add_rewrite_endpoint( self::ENDPOINT, EP_ROOT | EP_PAGES );
		flush_rewrite_rules();
	}

	/**
	 * Deactivation: drop the rewrite rule again.
	 */
	public static function deactivate() {
		flush_rewrite_rules();
	}
}
