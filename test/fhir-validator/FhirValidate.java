import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.utilities.settings.FhirSettings;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HAPI FHIR's validator, offline, for the FHIR tests (run by java's single-file launcher).
 *
 * make-core-package DIR: writes HL7's R4 StructureDefinitions, as HAPI ships them, as the package
 * hl7.fhir.r4.core#4.0.1 under DIR/.fhir/packages. Validating a StructureDefinition makes the
 * validator load that package (it regenerates the snapshot from the core); without it, it would
 * try to download it from the FHIR package registry.
 *
 * validate SETTINGS DEFINITIONS RESOURCES: loads the definitions (NDJSON: our CodeSystems,
 * ValueSets, StructureDefinitions) beside HL7's R4 ones, validates each resource of RESOURCES
 * (NDJSON) and prints one JSON line per finding: {"index","severity","location","messageId","message"}.
 * SETTINGS is a fhir-settings.json that prohibits network access: terminology is checked in memory
 * against the loaded code systems only (no terminology server), and nothing is downloaded.
 * Unknown extensions are errors (HAPI allows them by default).
 */
public class FhirValidate {
  public static void main(String[] args) throws Exception {
    FhirContext ctx = FhirContext.forR4();
    if (args.length == 2 && args[0].equals("make-core-package")) {
      makeCorePackage(ctx, Path.of(args[1]));
      return;
    }
    if (args.length != 4 || !args[0].equals("validate")) {
      throw new IllegalArgumentException("usage: make-core-package DIR | validate SETTINGS DEFINITIONS RESOURCES");
    }
    FhirSettings.setExplicitFilePath(args[1]);
    IParser parser = ctx.newJsonParser();
    PrePopulatedValidationSupport definitions = new PrePopulatedValidationSupport(ctx);
    for (String line : lines(args[2])) definitions.addResource(parser.parseResource(line));
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(ctx),
        definitions,
        new CommonCodeSystemsTerminologyService(ctx),
        new InMemoryTerminologyServerValidationSupport(ctx),
        new SnapshotGeneratingValidationSupport(ctx));
    FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
    instanceValidator.setAnyExtensionsAllowed(false);
    FhirValidator validator = ctx.newValidator().registerValidatorModule(instanceValidator);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    int index = 0;
    for (String line : lines(args[3])) {
      for (SingleValidationMessage m : validator.validateWithResult(line).getMessages()) {
        out.println("{\"index\":" + index + ",\"severity\":" + json(String.valueOf(m.getSeverity())) + ",\"location\":" + json(m.getLocationString())
            + ",\"messageId\":" + json(m.getMessageId()) + ",\"message\":" + json(m.getMessage()) + "}");
      }
      index++;
    }
  }

  private static List<String> lines(String file) throws Exception {
    return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }

  private static void makeCorePackage(FhirContext ctx, Path home) throws Exception {
    Path dir = home.resolve(".fhir/packages/hl7.fhir.r4.core#4.0.1/package");
    Files.createDirectories(dir);
    IParser parser = ctx.newJsonParser();
    for (IBaseResource sd : new DefaultProfileValidationSupport(ctx).<IBaseResource>fetchAllStructureDefinitions()) {
      Files.writeString(dir.resolve("StructureDefinition-" + sd.getIdElement().getIdPart() + ".json"), parser.encodeResourceToString(sd));
    }
    Files.writeString(dir.resolve("package.json"),
        "{\"name\":\"hl7.fhir.r4.core\",\"version\":\"4.0.1\",\"type\":\"Core\",\"fhirVersions\":[\"4.0.1\"],\"dependencies\":{}}");
  }

  private static String json(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
