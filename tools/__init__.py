"""Tooling that writes docs, drives versions and starts servers; never imports tests."""
