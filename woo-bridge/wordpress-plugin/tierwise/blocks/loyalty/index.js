/* The block in the editor: a server-side rendered preview (no build step needed). */
( function ( blocks, element, serverSideRender, i18n ) {
	var el = element.createElement;
	blocks.registerBlockType( 'tierwise/loyalty', {
		edit: function ( props ) {
			return el( serverSideRender, { block: 'tierwise/loyalty', attributes: props.attributes } );
		},
		save: function () {
			return null;
		},
	} );
	void i18n;
} )( window.wp.blocks, window.wp.element, window.wp.serverSideRender, window.wp.i18n );
