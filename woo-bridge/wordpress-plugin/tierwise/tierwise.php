<?php
/**
 * Plugin Name:       Tierwise Loyalty
 * Plugin URI:        https://tierwise.app/woocommerce
 * Description:       Shows your Tierwise loyalty program to your WooCommerce customers: points, tier progress and rewards, in a shortcode, a block and a "Loyalty" tab on My Account.
 * Version:           0.1.0
 * Requires at least: 6.3
 * Requires PHP:      7.4
 * Requires Plugins:  woocommerce
 * Author:            Tierwise
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       tierwise
 * Domain Path:       /languages
 * WC requires at least: 8.0
 *
 * @package Tierwise
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'TIERWISE_VERSION', '0.1.0' );
define( 'TIERWISE_FILE', __FILE__ );
define( 'TIERWISE_DIR', plugin_dir_path( __FILE__ ) );

require_once TIERWISE_DIR . 'includes/signing.php';
require_once TIERWISE_DIR . 'includes/widget-strings.php';
require_once TIERWISE_DIR . 'includes/class-tierwise-settings.php';
require_once TIERWISE_DIR . 'includes/class-tierwise-storefront.php';
require_once TIERWISE_DIR . 'includes/class-tierwise-plugin.php';

register_activation_hook( __FILE__, array( 'Tierwise_Plugin', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'Tierwise_Plugin', 'deactivate' ) );

Tierwise_Plugin::instance();
