pub mod claims;
pub mod rdf;
pub mod table;
