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
	 * The widget's markup.
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
		$customer = Tierwise_Storefront::customer_id();
		return sprintf(
			'<div class="tierwise-widget" data-tierwise-root data-endpoint="%1$s" data-locale="%2$s" data-customer="%3$s" data-mode="%4$s"><noscript>%5$s</noscript></div>',
			esc_url( untrailingslashit( rest_url( Tierwise_Storefront::REST_NAMESPACE ) ) ),
			esc_attr( Tierwise_Storefront::locale() ),
			esc_attr( $customer ? (string) $customer : '' ),
			esc_attr( 'embed' === $mode ? 'embed' : 'block' ),
			esc_html__( 'Turn on JavaScript to see your loyalty points.', 'tierwise' )
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
