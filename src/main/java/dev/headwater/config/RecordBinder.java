package dev.headwater.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a JSON tree onto the configuration records, component by component, so that a key missing
 * from the file keeps its code default and an unknown or mistyped key fails with its full path.
 *
 * <p>Environment overrides use the same walk: the variable for {@code hls.partTargetSeconds} is
 * {@code HEADWATER_HLS_PART_TARGET_SECONDS}. Maps are written {@code name=value,name2=value2},
 * lists of strings {@code a,b,c}; the ladder (a list of records) cannot be overridden from the
 * environment, only from a file.
 */
final class RecordBinder {
  private final Map<String, String> env;

  RecordBinder(Map<String, String> env) {
    this.env = env;
  }

  <T extends Record> T bind(String path, Class<T> type, JsonObject json, T defaults) {
    RecordComponent[] components = type.getRecordComponents();
    for (String key : json.fieldNames()) {
      boolean known = false;
      for (RecordComponent c : components) {
        known |= c.getName().equals(key);
      }
      if (!known) {
        throw new ConfigException(join(path, key) + ": unknown key");
      }
    }
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String keyPath = join(path, c.getName());
      Object fallback = read(c, defaults);
      Object raw = json.getValue(c.getName());
      values[i] = convert(keyPath, c.getType(), c.getGenericType(), raw, fallback);
      types[i] = c.getType();
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }

  static String envName(String keyPath) {
    StringBuilder sb = new StringBuilder("HEADWATER_");
    for (char ch : keyPath.toCharArray()) {
      if (ch == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(ch)) {
        sb.append('_').append(ch);
      } else {
        sb.append(Character.toUpperCase(ch));
      }
    }
    return sb.toString();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object convert(String keyPath, Class<?> type, Type generic, Object raw, Object fallback) {
    if (Record.class.isAssignableFrom(type)) {
      if (raw != null && !(raw instanceof JsonObject)) {
        throw new ConfigException(keyPath + ": must be a mapping of keys");
      }
      return bind(
          keyPath,
          (Class) type,
          raw == null ? new JsonObject() : (JsonObject) raw,
          (Record) fallback);
    }
    String fromEnv = env.get(envName(keyPath));
    if (fromEnv != null && (type != List.class || isStringList(generic))) {
      return fromString(keyPath, type, fromEnv, envName(keyPath));
    }
    if (raw == null) {
      return fallback;
    }
    if (type == int.class) {
      if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        if (n.doubleValue() < Integer.MIN_VALUE || n.doubleValue() > Integer.MAX_VALUE) {
          throw new ConfigException(
              keyPath
                  + ": must be a whole number between "
                  + Integer.MIN_VALUE
                  + " and "
                  + Integer.MAX_VALUE
                  + " (got "
                  + raw
                  + ")");
        }
        return n.intValue();
      }
      throw new ConfigException(keyPath + ": must be a whole number (got " + raw + ")");
    }
    if (type == double.class) {
      if (raw instanceof Number n) {
        return n.doubleValue();
      }
      throw new ConfigException(keyPath + ": must be a number (got " + raw + ")");
    }
    if (type == boolean.class) {
      if (raw instanceof Boolean b) {
        return b;
      }
      throw new ConfigException(keyPath + ": must be true or false (got " + raw + ")");
    }
    if (type == String.class) {
      if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
        return raw.toString();
      }
      throw new ConfigException(keyPath + ": must be a string (got " + raw + ")");
    }
    if (type == Map.class) {
      if (!(raw instanceof JsonObject obj)) {
        throw new ConfigException(keyPath + ": must be a mapping of names to values");
      }
      Map<String, String> map = new LinkedHashMap<>();
      for (String k : obj.fieldNames()) {
        Object v = obj.getValue(k);
        if (v == null || v instanceof JsonObject || v instanceof JsonArray) {
          throw new ConfigException(join(keyPath, k) + ": must be a string");
        }
        map.put(k, v.toString());
      }
      return Map.copyOf(map);
    }
    if (type == List.class) {
      if (!(raw instanceof JsonArray array)) {
        throw new ConfigException(keyPath + ": must be a list");
      }
      if (isStringList(generic)) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
          Object item = array.getValue(i);
          if (!(item instanceof String || item instanceof Number)) {
            throw new ConfigException(keyPath + "[" + i + "]: must be a string");
          }
          out.add(item.toString());
        }
        return List.copyOf(out);
      }
      Class<? extends Record> element =
          (Class<? extends Record>) ((ParameterizedType) generic).getActualTypeArguments()[0];
      List<Object> out = new ArrayList<>();
      List<?> defaults = (List<?>) fallback;
      for (int i = 0; i < array.size(); i++) {
        Object item = array.getValue(i);
        if (!(item instanceof JsonObject obj)) {
          throw new ConfigException(keyPath + "[" + i + "]: must be a mapping of keys");
        }
        Record base =
            defaults.isEmpty() ? null : (Record) defaults.get(Math.min(i, defaults.size() - 1));
        out.add(bind(keyPath + "[" + i + "]", (Class) element, obj, base));
      }
      return List.copyOf(out);
    }
    throw new IllegalStateException("unsupported config type " + type + " at " + keyPath);
  }

  private static Object fromString(String keyPath, Class<?> type, String text, String var) {
    String where = keyPath + " (from " + var + ")";
    try {
      if (type == int.class) {
        return Integer.parseInt(text.trim());
      }
      if (type == double.class) {
        return Double.parseDouble(text.trim());
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(where + ": must be a number (got '" + text + "')");
    }
    if (type == boolean.class) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (!t.equals("true") && !t.equals("false")) {
        throw new ConfigException(where + ": must be true or false (got '" + text + "')");
      }
      return Boolean.parseBoolean(t);
    }
    if (type == String.class) {
      return text;
    }
    if (type == Map.class) {
      Map<String, String> map = new LinkedHashMap<>();
      for (String pair : text.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException(where + ": entries must be name=value (got '" + pair + "')");
        }
        map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
      return Map.copyOf(map);
    }
    if (type == List.class) {
      List<String> list = new ArrayList<>();
      for (String item : text.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
      return List.copyOf(list);
    }
    throw new ConfigException(where + ": cannot be set from the environment");
  }

  private static boolean isStringList(Type generic) {
    return generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] == String.class;
  }

  private static Object read(RecordComponent c, Object instance) {
    if (instance == null) {
      return null;
    }
    try {
      return c.getAccessor().invoke(instance);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
