<?php
/**
 * Removes everything the plugin stored when it is deleted from WordPress.
 *
 * @package Tierwise
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_option( 'tierwise_settings' );
if ( is_multisite() ) {
	delete_site_option( 'tierwise_settings' );
}
flush_rewrite_rules();
