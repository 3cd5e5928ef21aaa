<?php
// Router for `php -S`: what Apache's rewrite rules and Debian's Alias lines do for a WordPress site.
// Env: RONDA_WP_CONFIG names /etc/wordpress/config-<name>.php (Debian's wp-config.php honours WORDPRESS_CONFIG);
// RONDA_WP_UPLOADS is this site's private uploads folder.
$_SERVER['WORDPRESS_CONFIG'] = getenv('RONDA_WP_CONFIG');
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if (strpos($path, '..') !== false) {
    http_response_code(400);
    return true;
}
$static = null;
if (strpos($path, '/wp-content/uploads/') === 0) {
    $static = getenv('RONDA_WP_UPLOADS') . substr($path, strlen('/wp-content/uploads'));
} elseif (strpos($path, '/wp-content/') === 0) {
    // Debian keeps themes, plugins and languages under /var/lib/wordpress.
    $static = '/var/lib/wordpress' . $path;
} elseif ($path !== '/' && is_dir('/usr/share/wordpress' . $path) && is_file('/usr/share/wordpress' . rtrim($path, '/') . '/index.php')) {
    return false;   // a folder with its own index.php (/wp-admin/): the built-in server runs that, as Apache would
} elseif ($path !== '/' && is_file('/usr/share/wordpress' . $path)) {
    if (substr($path, -4) === '.php') {
        return false;   // a real PHP entry point (wp-login.php, wp-cron.php...): the built-in server runs it
    }
    $static = '/usr/share/wordpress' . $path;
}
if ($static !== null) {
    if (!is_file($static) || substr($static, -4) === '.php') {
        http_response_code(404);
        echo "Not Found";
        return true;
    }
    $types = ['css' => 'text/css', 'js' => 'application/javascript', 'pdf' => 'application/pdf',
              'png' => 'image/png', 'jpg' => 'image/jpeg', 'svg' => 'image/svg+xml', 'woff2' => 'font/woff2',
              'json' => 'application/json', 'txt' => 'text/plain'];
    $ext = strtolower(pathinfo($static, PATHINFO_EXTENSION));
    header('Content-Type: ' . ($types[$ext] ?? 'application/octet-stream'));
    header('Content-Length: ' . filesize($static));
    header('Last-Modified: ' . gmdate('D, d M Y H:i:s', filemtime($static)) . ' GMT');
    readfile($static);
    return true;
}
if (strpos($path, '/index.php/') === 0) {
    // PATHINFO permalinks (/index.php/2025/07/14/slug/), as on servers without rewrite rules.
    $_SERVER['PATH_INFO'] = substr($path, strlen('/index.php'));
}
// Everything else is a pretty permalink or the front page: WordPress's front controller answers it.
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = '/usr/share/wordpress/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
chdir('/usr/share/wordpress');
require '/usr/share/wordpress/index.php';
