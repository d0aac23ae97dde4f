package io.scriptforge.runner.app.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifest.Column;
import io.scriptforge.manifest.AppManifest.Constraint;
import io.scriptforge.manifest.AppManifest.Index;
import io.scriptforge.manifest.AppManifest.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The database part of a manifest (tables and sequences) as stored in {@code sf_schema.manifest}: what
 * the next migration compares against to see what would be lost. Written field by field rather than
 * by reflection, so the stored format does not shift when the manifest records do.
 */
record SchemaSnapshot(List<Table> tables, List<String> sequences) {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    static SchemaSnapshot of(AppManifest manifest) {
        return new SchemaSnapshot(List.copyOf(manifest.tables()), List.copyOf(manifest.sequences()));
    }

    Optional<Table> table(String name) {
        return tables.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
    }

    static Optional<Column> column(Table table, String name) {
        return table.columns().stream()
                .filter(c -> c.name().equalsIgnoreCase(name))
                .findFirst();
    }

    ObjectNode toJson() {
        ObjectNode root = JSON.objectNode();
        ArrayNode tableNodes = root.putArray("tables");
        for (Table table : tables) {
            ObjectNode t = tableNodes.addObject().put("name", table.name());
            ArrayNode columns = t.putArray("columns");
            table.columns()
                    .forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type()));
            ArrayNode constraints = t.putArray("constraints");
            table.constraints()
                    .forEach(c -> constraints.addObject().put("name", c.name()).put("def", c.definition()));
            ArrayNode indexes = t.putArray("indexes");
            table.indexes()
                    .forEach(i -> indexes.addObject()
                            .put("name", i.name())
                            .put("columns", i.columns())
                            .put("unique", i.unique()));
        }
        ArrayNode sequenceNodes = root.putArray("sequences");
        sequences.forEach(sequenceNodes::add);
        return root;
    }

    static SchemaSnapshot fromJson(JsonNode root) {
        List<Table> tables = new ArrayList<>();
        for (JsonNode t : root.path("tables")) {
            List<Column> columns = new ArrayList<>();
            t.path("columns")
                    .forEach(c -> columns.add(
                            new Column(c.path("name").asText(), c.path("type").asText())));
            List<Constraint> constraints = new ArrayList<>();
            t.path("constraints")
                    .forEach(c -> constraints.add(new Constraint(
                            c.path("name").asText(), c.path("def").asText())));
            List<Index> indexes = new ArrayList<>();
            t.path("indexes")
                    .forEach(i -> indexes.add(new Index(
                            i.path("name").asText(),
                            i.path("columns").asText(),
                            i.path("unique").asBoolean())));
            tables.add(new Table(t.path("name").asText(), columns, constraints, indexes));
        }
        List<String> sequences = new ArrayList<>();
        root.path("sequences").forEach(s -> sequences.add(s.asText()));
        return new SchemaSnapshot(tables, sequences);
    }
}
