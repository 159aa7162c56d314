package dev.notify.provider.meta.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.notify.core.TemplateMapping;
import dev.notify.core.spi.OutboundMessage;
import java.util.List;

/** Builds Cloud API message bodies: a text message, or an approved template when the message has a mapping. */
public final class MetaRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MetaRequests() {}

  public static String body(OutboundMessage message) {
    ObjectNode root = JSON.createObjectNode();
    root.put("messaging_product", "whatsapp");
    if (message.templateMapping().isPresent()) {
      TemplateMapping mapping = message.templateMapping().get();
      root.put("to", message.phoneDigits());
      root.put("type", "template");
      ObjectNode template = root.putObject("template");
      template.put("name", mapping.name());
      template.putObject("language").put("code", mapping.language());
      List<String> parameters = message.bodyParameters();
      if (!parameters.isEmpty()) {
        ObjectNode body = template.putArray("components").addObject();
        body.put("type", "body");
        ArrayNode params = body.putArray("parameters");
        for (String p : parameters) params.addObject().put("type", "text").put("text", p);
      }
    } else {
      root.put("recipient_type", "individual");
      root.put("to", message.phoneDigits());
      root.put("type", "text");
      ObjectNode text = root.putObject("text");
      text.put("preview_url", false);
      text.put("body", message.text());
    }
    return root.toString();
  }
}
