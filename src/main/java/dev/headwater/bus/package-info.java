/**
 * Event-bus addresses and their payload records, all in one place; payloads pass by reference (local codec) and never carry media bytes.
 */
package dev.headwater.bus;
