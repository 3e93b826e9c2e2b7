<?php
/**
 * Settings page (WooCommerce → Tierwise): the app URL, the connection id and the plugin secret
 * shown by Tierwise when the store was connected.
 *
 * @package Tierwise
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Tierwise settings.
 */
class Tierwise_Settings {
	const OPTION = 'tierwise_settings';

	/**
	 * Saved settings with defaults.
	 *
	 * @return array{app_url:string,connection_id:string,secret:string}
	 */
	public static function get() {
		$saved = get_option( self::OPTION, array() );
		return wp_parse_args(
			is_array( $saved ) ? $saved : array(),
			array(
				'app_url'       => '',
				'connection_id' => '',
				'secret'        => '',
			)
		);
	}

	/**
	 * Whether the plugin can talk to the app.
	 *
	 * @return bool
	 */
	public static function is_configured() {
		$settings = self::get();
		return '' !== $settings['app_url'] && '' !== $settings['connection_id'] && '' !== $settings['secret'];
	}

	/**
	 * Hooks.
	 */
	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'admin_init', array( __CLASS__, 'settings' ) );
	}

	/**
	 * Menu entry under WooCommerce.
	 */
	public static function menu() {
		add_submenu_page( 'woocommerce', __( 'Tierwise loyalty', 'tierwise' ), __( 'Tierwise', 'tierwise' ), 'manage_woocommerce', 'tierwise', array( __CLASS__, 'render' ) );
	}

	/**
	 * The option and its sanitizer.
	 */
	public static function settings() {
		register_setting(
			'tierwise',
			self::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( __CLASS__, 'sanitize' ),
			)
		);
	}

	/**
	 * Keeps only valid values.
	 *
	 * @param mixed $input Submitted values.
	 * @return array
	 */
	public static function sanitize( $input ) {
		$input = is_array( $input ) ? $input : array();
		$url   = isset( $input['app_url'] ) ? esc_url_raw( trim( (string) $input['app_url'] ), array( 'https', 'http' ) ) : '';
		$id    = isset( $input['connection_id'] ) ? preg_replace( '/[^A-Za-z0-9_-]/', '', (string) $input['connection_id'] ) : '';
		$prev  = self::get();
		// An empty secret field keeps the saved secret (it is never printed back).
		$secret = isset( $input['secret'] ) && '' !== trim( (string) $input['secret'] ) ? preg_replace( '/[^A-Za-z0-9_-]/', '', (string) $input['secret'] ) : $prev['secret'];
		return array(
			'app_url'       => untrailingslashit( $url ),
			'connection_id' => $id,
			'secret'        => $secret,
		);
	}

	/**
	 * The settings page.
	 */
	public static function render() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		$settings = self::get();
		?>
		<div class="wrap">
			<h1><?php esc_html_e( 'Tierwise loyalty', 'tierwise' ); ?></h1>
			<p><?php esc_html_e( 'Connect this store in the Tierwise app, then enter the values it shows you here.', 'tierwise' ); ?></p>
			<form method="post" action="options.php">
				<?php settings_fields( 'tierwise' ); ?>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="tierwise-app-url"><?php esc_html_e( 'Tierwise app URL', 'tierwise' ); ?></label></th>
						<td><input id="tierwise-app-url" class="regular-text" type="url" name="<?php echo esc_attr( self::OPTION ); ?>[app_url]" value="<?php echo esc_attr( $settings['app_url'] ); ?>" /></td>
					</tr>
					<tr>
						<th scope="row"><label for="tierwise-connection"><?php esc_html_e( 'Connection ID', 'tierwise' ); ?></label></th>
						<td><input id="tierwise-connection" class="regular-text" type="text" name="<?php echo esc_attr( self::OPTION ); ?>[connection_id]" value="<?php echo esc_attr( $settings['connection_id'] ); ?>" /></td>
					</tr>
					<tr>
						<th scope="row"><label for="tierwise-secret"><?php esc_html_e( 'Plugin secret', 'tierwise' ); ?></label></th>
						<td>
							<input id="tierwise-secret" class="regular-text" type="password" autocomplete="off" name="<?php echo esc_attr( self::OPTION ); ?>[secret]" value="" placeholder="<?php echo '' === $settings['secret'] ? '' : esc_attr__( 'Saved (leave empty to keep)', 'tierwise' ); ?>" />
						</td>
					</tr>
				</table>
				<?php submit_button(); ?>
			</form>
		</div>
		<?php
	}
}
