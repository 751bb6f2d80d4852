/**
 * Typed configuration: code defaults, YAML loading through vertx-config, HEADWATER_* environment
 * overrides and validation whose every message names the key and the problem. Depends on nothing
 * else in Headwater.
 */
package dev.headwater.config;
