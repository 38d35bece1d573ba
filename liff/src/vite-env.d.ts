// Vite lets the mini-app import its stylesheet.
/// <reference types="vite/client" />
