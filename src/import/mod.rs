pub mod claims;
pub mod match_tables;
pub mod rdf;
pub mod table;
