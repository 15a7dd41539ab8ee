//! Terminal tables that fit the terminal's width (comfy-table's dynamic arrangement).

use comfy_table::{presets, ContentArrangement};

/// A table with a header row, rendered for a terminal or a pipe.
pub struct Table {
    inner: comfy_table::Table,
}

impl Table {
    pub fn new(header: Vec<String>) -> Table {
        let mut inner = comfy_table::Table::new();
        inner
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(header);
        Table { inner }
    }

    pub fn row(&mut self, cells: Vec<String>) -> &mut Table {
        self.inner.add_row(cells);
        self
    }

    /// Fixes the width (tests, and output to a pipe where no terminal width is known).
    pub fn width(&mut self, columns: u16) -> &mut Table {
        self.inner.set_width(columns);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.inner.row_count() == 0
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}
