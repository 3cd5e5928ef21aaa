<?php
// Installs one WordPress site and seeds it from a JSON spec, offline, through WordPress's own API.
// Usage: RONDA_WP_CONFIG=<name> php seed.php SPEC.json   (prints a JSON map of created ids and URLs)
$spec = json_decode(file_get_contents($argv[1]), true);
$_SERVER['WORDPRESS_CONFIG'] = getenv('RONDA_WP_CONFIG');
$_SERVER['HTTP_HOST'] = parse_url($spec['home'], PHP_URL_HOST) . ':' . parse_url($spec['home'], PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

if ($spec['locale'] !== '') {
    // As wp-admin/install.php does for a chosen language: the default content and formats come out translated.
    load_default_textdomain($spec['locale']);
    $GLOBALS['wp_locale'] = new WP_Locale();
}
$result = wp_install($spec['title'], 'admin', 'admin@example.go.id', true, '', wp_generate_password(20), $spec['locale']);
$out = ['user_id' => $result['user_id'], 'posts' => [], 'pages' => [], 'attachments' => []];
foreach ($spec['options'] as $name => $value) {
    update_option($name, $value);
}
switch_theme($spec['theme']);
if (isset($spec['permalinks'])) {
    global $wp_rewrite;
    $wp_rewrite->set_permalink_structure($spec['permalinks']);
    $wp_rewrite->flush_rules(false);
}
if (isset($spec['sample_date'])) {
    // An old install: its sample content carries the install date, long before the real posts.
    foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1]) as $p) {
        wp_update_post(['ID' => $p->ID, 'post_date' => $spec['sample_date'], 'post_date_gmt' => get_gmt_from_date($spec['sample_date'])]);
    }
}
$cats = [];
foreach ($spec['categories'] ?? [] as $slug => $name) {
    $t = wp_insert_term($name, 'category', ['slug' => $slug]);
    $cats[$slug] = $t['term_id'];
}
wp_set_current_user($result['user_id']);
foreach ($spec['posts'] ?? [] as $p) {
    $id = wp_insert_post([
        'post_title' => $p['title'], 'post_content' => $p['content'], 'post_status' => $p['status'],
        'post_date' => $p['date'], 'post_date_gmt' => get_gmt_from_date($p['date']), 'post_type' => 'post',
        'post_category' => isset($p['category']) ? [$cats[$p['category']]] : [],
        'post_author' => $result['user_id'],
    ], true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    if ($p['status'] === 'future') {
        // wp_insert_post schedules a cron event; cron is off, so the post stays scheduled like on a quiet night.
        wp_clear_scheduled_hook('publish_future_post', [$id]);
    }
    $out['posts'][$p['key']] = ['id' => $id, 'url' => get_permalink($id), 'status' => get_post_status($id)];
}
$pages = [];
foreach ($spec['pages'] ?? [] as $p) {
    $content = $p['content'];
    $id = wp_insert_post([
        'post_title' => $p['title'], 'post_content' => $content, 'post_status' => 'publish', 'post_type' => 'page',
        'post_parent' => isset($p['parent']) ? $pages[$p['parent']] : 0, 'post_name' => $p['slug'],
        'post_date' => $p['date'], 'post_date_gmt' => get_gmt_from_date($p['date']),
        'menu_order' => $p['order'] ?? 0, 'post_author' => $result['user_id'],
    ], true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    $pages[$p['key']] = $id;
    $out['pages'][$p['key']] = ['id' => $id, 'url' => get_permalink($id)];
}
foreach ($spec['attachments'] ?? [] as $a) {
    // A document uploaded through the media library and linked from a page, as editors do.
    $dir = wp_upload_dir($a['date_path']);
    wp_mkdir_p($dir['path']);
    $file = $dir['path'] . '/' . $a['filename'];
    file_put_contents($file, base64_decode($a['body_b64']));
    $id = wp_insert_attachment([
        'post_title' => $a['title'], 'post_mime_type' => 'application/pdf', 'post_status' => 'inherit',
        'post_date' => $a['date'], 'post_date_gmt' => get_gmt_from_date($a['date']),
        'guid' => $dir['url'] . '/' . $a['filename'],
    ], $file, $pages[$a['page']]);
    $url = wp_get_attachment_url($id);
    $page = get_post($pages[$a['page']]);
    wp_update_post(['ID' => $page->ID, 'post_content' => str_replace('@DOC_URL@', $url, $page->post_content)]);
    $out['attachments'][$a['key']] = ['id' => $id, 'url' => $url];
}
foreach ($spec['menus'] ?? [] as $m) {
    $menu_id = wp_create_nav_menu($m['name']);
    $items = [];
    foreach ($m['items'] as $it) {
        $args = ['menu-item-title' => $it['title'], 'menu-item-status' => 'publish',
                 'menu-item-parent-id' => isset($it['parent']) ? $items[$it['parent']] : 0];
        if (isset($it['page'])) {
            $args += ['menu-item-object' => 'page', 'menu-item-object-id' => $pages[$it['page']], 'menu-item-type' => 'post_type'];
        } elseif (isset($it['category'])) {
            $args += ['menu-item-object' => 'category', 'menu-item-object-id' => $cats[$it['category']], 'menu-item-type' => 'taxonomy'];
        } else {
            $args += ['menu-item-url' => $it['url'], 'menu-item-type' => 'custom'];
        }
        $items[$it['key']] = wp_update_nav_menu_item($menu_id, 0, $args);
    }
    $locations = get_theme_mod('nav_menu_locations', []);
    $locations[$m['location']] = $menu_id;
    set_theme_mod('nav_menu_locations', $locations);
}
if (!empty($spec['widgets'])) {
    // Classic text widgets in a theme's sidebar (what an old editor or an intruder leaves there).
    $instances = ['_multiwidget' => 1];
    $sidebars = get_option('sidebars_widgets', []);
    $n = 2;
    foreach ($spec['widgets'] as $w) {
        $instances[$n] = ['title' => $w['title'], 'text' => $w['text'], 'filter' => false, 'visual' => false];
        $sidebars[$w['sidebar']] = array_merge($sidebars[$w['sidebar']] ?? [], ['text-' . $n]);
        $n++;
    }
    update_option('widget_text', $instances);
    update_option('sidebars_widgets', $sidebars);
}
if (!empty($spec['delete_sample'])) {
    foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1, 'include' => [1, 2]]) as $p) {
        wp_delete_post($p->ID, true);
    }
}
$out['home'] = home_url('/');
$out['locale'] = get_locale();
echo json_encode($out, JSON_UNESCAPED_SLASHES), "\n";
