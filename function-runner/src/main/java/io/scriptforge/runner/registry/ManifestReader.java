package io.scriptforge.runner.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.scriptforge.crd.Script;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the YAML a user would give {@code kubectl apply -f}: several documents per file, of any
 * kind. Scripts come out as resources; everything wrong comes out as a problem with file and line.
 */
public final class ManifestReader {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private final YAMLMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A document of the file: a Script, or a problem that keeps it from loading. */
    public record Document(Path file, int line, Script script, String problem) {
        public String describe() {
            String what = script == null ? "document" : "Script " + script.getMetadata().getNamespace() + "/" + script.getMetadata().getName();
            return file + ":" + line + ": " + what;
        }
    }

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
                    documents.add(syntaxProblem(file, e.getCause() instanceof JsonProcessingException jpe ? jpe : null, e));
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
        return new Document(file, line, null, "not valid YAML at line " + line + ", column " + column + ": " + e.getOriginalMessage());
    }

    /** Null for documents that are not ours to load (other kinds, empty documents). */
    private Document toDocument(Path file, int line, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            return new Document(file, line, null, "a document must be a Kubernetes resource (a mapping with apiVersion and kind)");
        }
        if (!"Script".equals(node.path("kind").asText())) {
            return null;
        }
        String name = node.path("metadata").path("name").asText("");
        if (!Script.API_VERSION.equals(node.path("apiVersion").asText())) {
            return new Document(file, line, null, "Script '" + name + "': apiVersion must be " + Script.API_VERSION);
        }
        try {
            Script script = yaml.treeToValue(node, Script.class);
            if (script.getMetadata() == null) {
                return new Document(file, line, null, "a Script needs metadata with a name");
            }
            if (script.getMetadata().getNamespace() == null || script.getMetadata().getNamespace().isBlank()) {
                script.getMetadata().setNamespace("default");
            }
            String problem = checkNames(script);
            return new Document(file, line, problem == null ? script : null, problem);
        } catch (UnrecognizedPropertyException e) {
            return new Document(file, line, null, "Script '" + name + "': unknown field " + path(e) + " (known: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            return new Document(file, line, null, "Script '" + name + "': field " + path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            return new Document(file, line, null, "Script '" + name + "': " + e.getOriginalMessage());
        }
    }

    private static String checkNames(Script script) {
        String name = script.getMetadata().getName();
        String namespace = script.getMetadata().getNamespace();
        if (name == null || name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
            return "metadata.name '" + name + "' must be lowercase letters, digits and '-' (at most 63), as require() names modules by it";
        }
        if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
            return "Script '" + name + "': metadata.namespace '" + namespace + "' must be lowercase letters, digits and '-'";
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
