(function() {var $ = AUI.$;var _ = AUI._;
	var onEvent = function (data) {
		if (window.Analytics) {
			Analytics.send('{{ action }}', '{{ asset }}', {
{{ sent }}			});
		}
	};

	var onDestroyPortlet = function () {
		Liferay.detach('{{ event }}', onEvent);
		Liferay.detach('destroyPortlet', onDestroyPortlet);
	};

	Liferay.on('{{ event }}', onEvent);
	Liferay.on('destroyPortlet', onDestroyPortlet);
})();