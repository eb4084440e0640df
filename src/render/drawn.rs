//! A live run as shapes: its timeline (laid out, its findings marked, its labels placed) and its
//! topology. The run ([`Session`]) knows nothing of drawing; the layouts read it from here.

use super::labels::place_labels;
use super::timeline::{layout_with_findings, Filter, Shape, Viewport};
use super::topology::{topology_at, TopoShape, TopologyView};
use crate::live::Session;
use crate::sim::{EventId, Micros};

/// What a live run looks like.
pub trait Drawn {
    /// The visible part of the timeline, with in-flight messages drawn up to true time `at`,
    /// as `filter` says (hidden and faint message kinds, causal chain only), with labels.
    fn timeline(
        &self,
        viewport: &Viewport,
        selected: Option<EventId>,
        at: Micros,
        filter: &Filter,
    ) -> Vec<Shape>;

    /// The cluster as it stands at true time `at` (see [`Session::display_time`]).
    fn topology(&self, view: &TopologyView, at: Micros) -> Vec<TopoShape>;
}

impl Drawn for Session {
    fn timeline(
        &self,
        viewport: &Viewport,
        selected: Option<EventId>,
        at: Micros,
        filter: &Filter,
    ) -> Vec<Shape> {
        let in_flight: Vec<_> = self.cluster().in_flight;
        let selected = selected.filter(|e| e.index() < self.event_count());
        let findings = self.findings();
        let mut shapes = layout_with_findings(
            self.words().skeleton(),
            viewport,
            selected,
            &in_flight,
            self.display_time(at),
            &findings,
            filter,
        );
        if filter.label_px > 0.0 {
            let labels = place_labels(
                self.words(),
                self.names(),
                &shapes,
                viewport,
                &findings,
                selected,
                filter.label_px,
            );
            shapes.extend(labels);
        }
        shapes
    }

    fn topology(&self, view: &TopologyView, at: Micros) -> Vec<TopoShape> {
        topology_at(&self.cluster(), view, self.display_time(at))
    }
}
