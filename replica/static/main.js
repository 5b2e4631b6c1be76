/* HEPZA replica theme: stand-in for the theme's main.js. */
