/**
 * The live stream as a first-class owner: the directory that claims names and one owner verticle
 * per publish session, which holds the encoder supervisor, the intake and the timelines and is the
 * only writer of that stream's state (reconnect grace, takeover, end of stream). Depends on every
 * layer below it (ingest's contracts in bus, encode, watch, timeline); nothing but the application
 * wiring depends on it.
 */
package dev.headwater.stream;
