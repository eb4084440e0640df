//! Rendering, split in two: pure layouts (trace + viewport → shapes, hit-testing), unit-tested
//! natively, and thin painters (added with the canvas UI) that only draw shapes.

pub mod axis;
pub mod camera;
pub mod canvas;
pub mod compare;
pub mod drawn;
pub mod folds;
pub mod headers;
pub mod labels;
mod lifelines;
pub mod markers;
pub mod overview;
pub mod palette;
pub mod slide;
pub mod splits;
pub mod svg;
pub mod timeline;
pub mod topology;
pub mod topology_canvas;
pub mod topology_labels;
pub mod turn;
