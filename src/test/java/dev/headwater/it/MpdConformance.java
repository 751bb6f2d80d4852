package dev.headwater.it;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Assertions;

/**
 * Validates MPDs against the MPEG-DASH schema (ISO/IEC 23009-1 {@code DASH-MPD.xsd}, which imports
 * {@code xlink.xsd}) with {@code javax.xml.validation}, when the schema is on this machine: {@code
 * -Ddash.schema=DIR} names a directory holding both files.
 *
 * <p>The schema may only come from a package registry, and none that this project can reach (Maven
 * Central, npm, Debian) ships it (see the README, "DASH"), so without {@code dash.schema} this
 * checks that the MPD is well-formed XML in the MPD namespace and says that it skipped the schema.
 * Every MPD is also read by mpd-parser ({@link PlaylistConformance#checkMpd}).
 */
final class MpdConformance {
  private static final Schema SCHEMA = load();

  private MpdConformance() {}

  private static Schema load() {
    String dir = System.getProperty("dash.schema", "");
    if (dir.isEmpty()) {
      return null;
    }
    Path xsd = Path.of(dir, "DASH-MPD.xsd");
    Assertions.assertTrue(Files.exists(xsd), "-Ddash.schema: no DASH-MPD.xsd in " + dir);
    try {
      SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
      // Imports resolve beside the schema only (xlink.xsd), never over the network.
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
      return f.newSchema(xsd.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("cannot load " + xsd + ": " + e.getMessage(), e);
    }
  }

  /** Whether MPDs are checked against the schema in this run. */
  static boolean schemaAvailable() {
    return SCHEMA != null;
  }

  /**
   * Fails the calling test if {@code mpd} is not a valid MPD: against the schema when it is here,
   * and always read by mpd-parser (video.js), a parser nobody here wrote.
   */
  static void check(String name, String mpd) {
    PlaylistConformance.checkMpd("http://origin.invalid/" + name.replace(' ', '-') + ".mpd", mpd);
    try {
      if (SCHEMA != null) {
        SCHEMA.newValidator().validate(new StreamSource(new StringReader(mpd)));
        return;
      }
      var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      var root =
          factory
              .newDocumentBuilder()
              .parse(new org.xml.sax.InputSource(new StringReader(mpd)))
              .getDocumentElement();
      Assertions.assertEquals("urn:mpeg:dash:schema:mpd:2011", root.getNamespaceURI(), name);
      Assertions.assertEquals("MPD", root.getLocalName(), name);
      System.out.println("MPD " + name + ": well-formed; schema not validated (no -Ddash.schema)");
    } catch (Exception e) {
      Assertions.fail("MPD " + name + " is not valid: " + e.getMessage() + "\n" + mpd);
    }
  }
}
