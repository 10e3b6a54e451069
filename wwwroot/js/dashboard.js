// Dashboard charts: each <canvas data-chart="ID"> is drawn with Chart.js from the JSON data island
// <script type="application/json" id="ID">. The same numbers are in the table beside each chart.
(function () {
    'use strict';

    var palette = ['#0d6efd', '#198754', '#fd7e14', '#6f42c1', '#dc3545', '#20c997', '#6c757d', '#ffc107'];

    function draw(canvas) {
        var island = document.getElementById(canvas.getAttribute('data-chart'));
        if (!island || typeof Chart === 'undefined') {
            return;
        }

        var data = JSON.parse(island.textContent);
        var pie = data.kind === 'doughnut' || data.kind === 'pie';
        var datasets = data.series.map(function (series, i) {
            return {
                label: series.name,
                data: series.values,
                backgroundColor: pie ? palette.slice(0, series.values.length) : palette[i % palette.length],
                borderWidth: pie ? 1 : 0
            };
        });
        var options = {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            plugins: { legend: { display: pie || datasets.length > 1 } }
        };
        if (!pie) {
            options.indexAxis = data.horizontal ? 'y' : 'x';
            // Counts and whole yuan: no fractional ticks.
            options.scales = { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } };
        }

        canvas.chart = new Chart(canvas, { type: data.kind, data: { labels: data.labels, datasets: datasets }, options: options });
    }

    function progress() {
        document.querySelectorAll('.progress-bar[data-percent]').forEach(function (bar) {
            bar.style.width = bar.getAttribute('data-percent') + '%';
        });
    }

    document.addEventListener('DOMContentLoaded', function () {
        document.querySelectorAll('canvas[data-chart]').forEach(draw);
        progress();
    });
})();
