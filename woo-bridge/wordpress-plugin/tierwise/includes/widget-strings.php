<?php
/**
 * The storefront widget's texts, the same keys and English texts as the Shopify theme extension's
 * locales (extensions/tierwise-theme/locales/en.default.json), translated through this plugin's
 * .po files (pl_PL, cs_CZ). The widget reads them from the data-* attributes of an element with
 * data-tierwise-strings. Each has its key as gettext context, because English uses one text for
 * several plural forms that Polish and Czech tell apart.
 *
 * @package Tierwise
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Widget texts by key.
 *
 * @return array<string,string>
 */
function tierwise_widget_strings() {
	return array(
		'title' => _x( 'Rewards', 'widget title', 'tierwise' ),
		'launcher' => _x( 'Rewards', 'widget launcher', 'tierwise' ),
		'close' => _x( 'Close', 'widget close', 'tierwise' ),
		'loading' => _x( 'Loading your rewards…', 'widget loading', 'tierwise' ),
		'error' => _x( 'Rewards could not be loaded. Please try again later.', 'widget error', 'tierwise' ),
		'balance' => _x( 'Your points', 'widget balance', 'tierwise' ),
		'tier' => _x( 'Tier: {tier}', 'widget tier', 'tierwise' ),
		'points_one' => _x( '{n} point', 'widget points_one', 'tierwise' ),
		'points_few' => _x( '{n} points', 'widget points_few', 'tierwise' ),
		'points_many' => _x( '{n} points', 'widget points_many', 'tierwise' ),
		'points_other' => _x( '{n} points', 'widget points_other', 'tierwise' ),
		'away_points' => _x( 'You\'re {points} away from {tier}', 'widget away_points', 'tierwise' ),
		'away_spend' => _x( 'Spend {amount} more to reach {tier}', 'widget away_spend', 'tierwise' ),
		'top_tier' => _x( 'You\'re in our top tier. Thank you!', 'widget top_tier', 'tierwise' ),
		'progress' => _x( 'Progress to {tier}', 'widget progress', 'tierwise' ),
		'perks' => _x( '{tier} perks', 'widget perks', 'tierwise' ),
		'multiplier' => _x( '{x}× points on every order', 'widget multiplier', 'tierwise' ),
		'rewards' => _x( 'Rewards you can redeem', 'widget rewards', 'tierwise' ),
		'no_rewards' => _x( 'Keep earning: rewards appear here once you have enough points.', 'widget no_rewards', 'tierwise' ),
		'redeem' => _x( 'Redeem', 'widget redeem', 'tierwise' ),
		'redeeming' => _x( 'Redeeming…', 'widget redeeming', 'tierwise' ),
		'use_points' => _x( 'Points to use', 'widget use_points', 'tierwise' ),
		'code' => _x( 'Your code', 'widget code', 'tierwise' ),
		'copy' => _x( 'Copy', 'widget copy', 'tierwise' ),
		'copied' => _x( 'Copied', 'widget copied', 'tierwise' ),
		'valid_until' => _x( 'Valid until {date}', 'widget valid_until', 'tierwise' ),
		'codes' => _x( 'Your codes', 'widget codes', 'tierwise' ),
		'expiring' => _x( 'Expiring on {date}: {points}', 'widget expiring', 'tierwise' ),
		'guest_intro' => _x( 'Join our rewards program and earn points on every order.', 'widget guest_intro', 'tierwise' ),
		'earn' => _x( 'Earn {points} for every {amount} spent', 'widget earn', 'tierwise' ),
		'signup' => _x( '{points} for creating an account', 'widget signup', 'tierwise' ),
		'birthday' => _x( '{points} on your birthday', 'widget birthday', 'tierwise' ),
		'tiers' => _x( 'Tiers', 'widget tiers', 'tierwise' ),
		'tier_points' => _x( '{tier}: from {points}', 'widget tier_points', 'tierwise' ),
		'tier_spend' => _x( '{tier}: from {amount} spent', 'widget tier_spend', 'tierwise' ),
		'offers' => _x( 'What your points buy', 'widget offers', 'tierwise' ),
		'min_tier' => _x( '{tier} and above', 'widget min_tier', 'tierwise' ),
		'join' => _x( 'Join now', 'widget join', 'tierwise' ),
		'sign_in' => _x( 'Sign in', 'widget sign_in', 'tierwise' ),
		'setting_up' => _x( 'Your rewards account is being set up. Please check back in a minute.', 'widget setting_up', 'tierwise' ),
		'referral' => _x( 'Invite friends with your link', 'widget referral', 'tierwise' ),
	);
}
