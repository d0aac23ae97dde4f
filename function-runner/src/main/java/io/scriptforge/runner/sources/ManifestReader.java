package io.scriptforge.runner.sources;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.scriptforge.crd.App;
import io.scriptforge.crd.Script;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the YAML a user would give {@code kubectl apply -f}: several documents per file, of any
 * kind. Scripts, Apps, and the Secrets and ConfigMaps Apps refer to come out as resources; other
 * kinds are skipped; everything wrong comes out as a problem with file and line.
 */
public final class ManifestReader {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private final YAMLMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final YAMLMapper lenient = YAMLMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A document of the file: a resource, or a problem that keeps it from loading. */
    public record Document(Path file, int line, HasMetadata resource, String problem) {
        public String describe() {
            String what = resource == null
                    ? "document"
                    : resource.getKind() + " " + resource.getMetadata().getNamespace() + "/"
                            + resource.getMetadata().getName();
            return file + ":" + line + ": " + what;
        }

        /** The Script, or null when the document is another kind. */
        public Script script() {
            return resource instanceof Script script ? script : null;
        }
    }

    private record Kind(String apiVersion, Class<? extends HasMetadata> type) {}

    private static final java.util.Map<String, Kind> KINDS = java.util.Map.of(
            "Script", new Kind(Script.API_VERSION, Script.class),
            "App", new Kind(Script.API_VERSION, App.class),
            "Secret", new Kind("v1", Secret.class),
            "ConfigMap", new Kind("v1", ConfigMap.class));

    public List<Document> read(Path file) {
        List<Document> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (true) {
                int line;
                JsonNode node;
                try {
                    if (!it.hasNextValue()) {
                        break;
                    }
                    line = it.getCurrentLocation().getLineNr();
                    node = it.nextValue();
                } catch (RuntimeException e) {
                    documents.add(
                            syntaxProblem(file, e.getCause() instanceof JsonProcessingException jpe ? jpe : null, e));
                    break;
                }
                Document document = toDocument(file, line, node);
                if (document != null) {
                    documents.add(document);
                }
            }
        } catch (JsonProcessingException e) {
            documents.add(syntaxProblem(file, e, e));
        } catch (IOException e) {
            documents.add(new Document(file, 0, null, "cannot read the file: " + e.getMessage()));
        }
        return documents;
    }

    private static Document syntaxProblem(Path file, JsonProcessingException e, Exception raw) {
        if (e == null) {
            return new Document(file, 0, null, "not valid YAML: " + raw.getMessage());
        }
        JsonLocation at = e.getLocation();
        int line = at == null ? 0 : at.getLineNr();
        int column = at == null ? 0 : at.getColumnNr();
        return new Document(
                file,
                line,
                null,
                "not valid YAML at line " + line + ", column " + column + ": " + e.getOriginalMessage());
    }

    /** Null for documents that are not ours to load (other kinds, empty documents). */
    private Document toDocument(Path file, int line, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            return new Document(
                    file, line, null, "a document must be a Kubernetes resource (a mapping with apiVersion and kind)");
        }
        String kindName = node.path("kind").asText();
        Kind kind = KINDS.get(kindName);
        if (kind == null) {
            return null;
        }
        String name = node.path("metadata").path("name").asText("");
        if (!kind.apiVersion().equals(node.path("apiVersion").asText())) {
            return new Document(
                    file, line, null, kindName + " '" + name + "': apiVersion must be " + kind.apiVersion());
        }
        try {
            // Secrets and ConfigMaps come from fabric8's model, which tolerates fields it does not know.
            HasMetadata resource = kind.type() == Script.class || kind.type() == App.class
                    ? yaml.treeToValue(node, kind.type())
                    : lenient.treeToValue(node, kind.type());
            if (resource.getMetadata() == null) {
                return new Document(file, line, null, "a " + kindName + " needs metadata with a name");
            }
            if (resource.getMetadata().getNamespace() == null
                    || resource.getMetadata().getNamespace().isBlank()) {
                resource.getMetadata().setNamespace("default");
            }
            String problem = checkNames(resource);
            return new Document(file, line, problem == null ? resource : null, problem);
        } catch (UnrecognizedPropertyException e) {
            return new Document(
                    file,
                    line,
                    null,
                    kindName + " '" + name + "': unknown field " + path(e) + " (known: "
                            + e.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .collect(Collectors.joining(", "))
                            + ")");
        } catch (JsonMappingException e) {
            return new Document(
                    file, line, null, kindName + " '" + name + "': field " + path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            return new Document(file, line, null, kindName + " '" + name + "': " + e.getOriginalMessage());
        }
    }

    private static String checkNames(HasMetadata resource) {
        String name = resource.getMetadata().getName();
        String namespace = resource.getMetadata().getNamespace();
        if (name == null || name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
            return resource.getKind() + " metadata.name '" + name
                    + "' must be lowercase letters, digits and '-' (at most 63)"
                    + (resource instanceof Script ? ", as require() names modules by it" : "");
        }
        if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
            return resource.getKind() + " '" + name + "': metadata.namespace '" + namespace
                    + "' must be lowercase letters, digits and '-'";
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
