package io.scriptforge.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTemplateTest {
    @Test
    void eachPlaceholderBecomesAParameterInOrder() {
        SqlTemplate t = SqlTemplate.parse(
                "SELECT * FROM t WHERE a = %s AND b = %u AND c = %i AND d = %llu AND e = %lli AND f = %b");
        assertThat(t.sql()).isEqualTo("SELECT * FROM t WHERE a = ? AND b = ? AND c = ? AND d = ? AND e = ? AND f = ?");
        assertThat(t.placeholders()).isEqualTo(6);
    }

    @Test
    void doublePercentIsAPercentSign() {
        SqlTemplate t = SqlTemplate.parse("SELECT n %% 2, %i");
        assertThat(t.sql()).isEqualTo("SELECT n % 2, ?");
        assertThat(t.placeholders()).isEqualTo(1);
    }

    @Test
    void textInsideQuotesAndCommentsIsCopiedAsIs() {
        SqlTemplate t = SqlTemplate.parse(
                "SELECT '%s', 'it''s %i', E'a\\'%b', \"col%s\", $$ %s $$, $x$ %s $x$ -- %s\n/* %s */ FROM t WHERE x = %s");
        assertThat(t.sql())
                .isEqualTo(
                        "SELECT '%s', 'it''s %i', E'a\\'%b', \"col%s\", $$ %s $$, $x$ %s $x$ -- %s\n/* %s */ FROM t WHERE x = ?");
        assertThat(t.placeholders()).isEqualTo(1);
    }

    @Test
    void aLikePatternAroundAPlaceholderKeepsItsPercentSigns() {
        SqlTemplate t = SqlTemplate.parse("SELECT * FROM t WHERE name LIKE '%' || %s || '%'");
        assertThat(t.sql()).isEqualTo("SELECT * FROM t WHERE name LIKE '%' || ? || '%'");
    }

    @Test
    void aQuestionMarkOfTheQueryIsNotAParameter() {
        SqlTemplate t = SqlTemplate.parse("SELECT data ? 'key', '?' FROM t WHERE id = %llu");
        assertThat(t.sql()).isEqualTo("SELECT data ?? 'key', '?' FROM t WHERE id = ?");
        assertThat(t.placeholders()).isEqualTo(1);
    }

    @Test
    void aPercentNotStartingAPlaceholderStays() {
        assertThat(SqlTemplate.parse("SELECT 7 % 3, %d").sql()).isEqualTo("SELECT 7 % 3, %d");
    }
}
