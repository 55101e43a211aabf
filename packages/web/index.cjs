const path = require('node:path');

/** Absolute path of the built page (index.html and its assets), for a server to serve at `/`. */
exports.webRoot = path.join(__dirname, 'dist');
