//! Spreadsheet files: reading an office's list (any sheet format, legacy
//! Vietnamese encodings, headings) and writing the report workbook. The
//! commands that use them are in src/exchange/.

pub mod headings;
pub mod legacy;
pub mod read;
pub mod workbook;
