package dev.notify.core;

import dev.notify.core.internal.Check;
import java.util.List;

/**
 * How a template is sent through a provider that needs pre-approved templates (Meta): the approved
 * template name, its language and the template variables that fill its body parameters, in order.
 */
public record TemplateMapping(String name, String language, List<String> bodyParameters) {
  public TemplateMapping {
    Check.notBlank(name, "template mapping name");
    Check.notBlank(language, "template mapping language");
    bodyParameters = bodyParameters == null ? List.of() : List.copyOf(bodyParameters);
  }

  public static TemplateMapping of(String name, String language, String... bodyParameters) {
    return new TemplateMapping(name, language, List.of(bodyParameters));
  }
}
